# expect: full
# whole-file
# what: (blind round 3) extra optional parameters with defaults (evaluate_accuracy(..., model=None) switches an nn.Module to eval() and back, else uses net; train_epoch(..., updater=None) defaults to the 0.17 updater lambda bs: sgd([W, b], lr, bs) called with X.shape[0]); accuracy with elementwise comparisons (torch.eq, view_as). With the defaults every contract holds, so full.
"""Softmax regression trained from scratch on images (d2l 3.6), with 0.17's updater hook."""
import torch


def softmax(X):
    """Row-wise softmax (given)."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy of each example, not averaged (given)."""
    return -torch.log(y_hat[range(len(y_hat)), y])


def sgd(params, lr, batch_size):
    """Minibatch SGD, in place, dividing by batch_size (given)."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def net(X, W, b):
    """softmax(X_flat W + b), shape (n, q)."""
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def accuracy(y_hat, y):
    """The number of correct predictions, a Python float count."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    hits = torch.eq(y_hat.type(y.dtype), y.view_as(y_hat))
    return float(hits.type(torch.float64).sum())


def evaluate_accuracy(W, b, data_iter, model=None):
    """Correct predictions over all examples / number of examples, a Python float.

    model: optional torch.nn.Module to evaluate instead of net(., W, b); it is put in eval mode.
    """
    was_training = None
    if isinstance(model, torch.nn.Module):
        was_training = model.training
        model.eval()
    forward = model if model is not None else (lambda X: net(X, W, b))
    correct, total = 0.0, 0
    try:
        with torch.no_grad():
            for X, y in data_iter:
                correct += accuracy(forward(X), y)
                total += y.numel()
    finally:
        if was_training:
            model.train()
    return correct / total


def train_epoch(W, b, train_iter, lr, updater=None):
    """One epoch of minibatch SGD on W and b, in place; returns (mean loss, accuracy)."""
    if updater is None:
        updater = lambda batch_size: sgd([W, b], lr, batch_size)
    loss_total, correct, count = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        updater(X.shape[0])
        loss_total += float(l.detach().sum())
        correct += accuracy(y_hat, y)
        count += y.numel()
    return loss_total / count, correct / count
