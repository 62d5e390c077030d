# expect: fail train_epoch
"""Trains copies of W and b: the caller's parameters never change."""
def train_epoch(W, b, train_iter, lr):
    W, b = W.detach().clone().requires_grad_(True), b.detach().clone().requires_grad_(True)
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        loss_sum += float(l.detach().sum())
        correct += accuracy(y_hat, y)
        total += y.numel()
    return loss_sum / total, correct / total
