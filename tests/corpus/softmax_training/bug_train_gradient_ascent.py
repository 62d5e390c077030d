# expect: fail train_epoch
"""Adds the gradient instead of subtracting it."""
def train_epoch(W, b, train_iter, lr):
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], -lr, len(y))
        loss_sum += float(l.detach().sum())
        correct += accuracy(y_hat, y)
        total += y.numel()
    return loss_sum / total, correct / total
