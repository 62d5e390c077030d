# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: the book's Accumulator helper class; net is an instance of a class with __call__; type hints with torch.Tensor
"""Softmax regression trained from scratch on images (d2l 3.6, the 0.17 function style).

softmax, cross_entropy and sgd are given (you wrote them in the earlier assignments). Fill in
net, accuracy, evaluate_accuracy and train_epoch. The grader trains your functions on
scikit-learn's 8x8 digits; run ``pytest`` in this folder to check your work.
"""
from typing import Iterable, Tuple

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



class Accumulator:
    """For accumulating sums over `n` variables (from d2l)."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


class _SoftmaxRegression:
    """The softmax regression model: softmax(X_flat W + b), X of shape (n, ...)."""

    def __call__(self, X: torch.Tensor, W: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return softmax(torch.mm(X.reshape(-1, W.shape[0]), W) + b)


net = _SoftmaxRegression()


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """The number of correct predictions, as in d2l 0.17.

    Args:
        y_hat: class probabilities of shape (n, q), or predicted classes of shape (n,).
        y: the true classes, an int64 tensor of shape (n,).

    Returns:
        A Python float: how many predictions equal y (a count, not a fraction). With a
        matrix y_hat, the prediction is each row's argmax.
    """
    if y_hat.dim() > 1 and y_hat.shape[1] > 1:
        y_hat = torch.argmax(y_hat, dim=1)
    return float(torch.eq(y_hat.type(y.dtype), y).sum())


def evaluate_accuracy(W: torch.Tensor, b: torch.Tensor, data_iter: Iterable) -> float:
    """The accuracy of net(., W, b) over a whole dataset.

    Args:
        W, b: the model's parameters.
        data_iter: an iterable of (X, y) minibatches; the last may be shorter.

    Returns:
        A Python float: correct predictions over all examples divided by the number of
        examples (not the mean of the minibatches' accuracies).
    """
    metric = Accumulator(2)  # No. of correct predictions, no. of predictions
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X, W, b), y), y.numel())
    return metric[0] / metric[1]


def train_epoch(W: torch.Tensor, b: torch.Tensor, train_iter: Iterable, lr: float) -> Tuple[float, float]:
    """One epoch of minibatch SGD on W and b (leaf tensors that require grad), in place.

    For each (X, y) in train_iter: the cross-entropy of net(X, W, b), summed, backward,
    then sgd([W, b], lr, len(y)): each batch's real length, so that a short last batch
    takes a step of the right size.

    Args:
        W, b: the parameters, updated in place.
        train_iter: an iterable of (X, y) minibatches.
        lr: the learning rate.

    Returns:
        (mean loss, accuracy) over the epoch's examples: the sum of the per-example
        losses divided by the number of examples, and the correct predictions divided
        by the number of examples.
    """
    metric = Accumulator(3)  # sum of training loss, no. of correct predictions, no. of examples
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, X.shape[0])
        metric.add(l.detach().sum(), accuracy(y_hat.detach(), y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]
