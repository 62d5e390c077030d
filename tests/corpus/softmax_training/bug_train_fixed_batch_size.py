# expect: fail train_epoch
"""Divides every step by the first batch's size, short last batch included."""
def train_epoch(W, b, train_iter, lr):
    loss_sum, correct, total, size = 0.0, 0.0, 0, None
    for X, y in train_iter:
        size = size or len(y)
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, size)
        loss_sum += float(l.detach().sum())
        correct += accuracy(y_hat, y)
        total += y.numel()
    return loss_sum / total, correct / total
