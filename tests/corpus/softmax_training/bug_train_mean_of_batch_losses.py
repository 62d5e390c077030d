# expect: fail train_epoch
"""Reports the mean of the minibatches' mean losses and accuracies."""
def train_epoch(W, b, train_iter, lr):
    losses, accs = [], []
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        losses.append(float(l.detach().mean()))
        accs.append(accuracy(y_hat, y) / len(y))
    return sum(losses) / len(losses), sum(accs) / len(accs)
