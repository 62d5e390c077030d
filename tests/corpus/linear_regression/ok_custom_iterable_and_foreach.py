# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: data_iter returns a custom iterable object (shuffled at call time, with __len__); sgd uses torch._foreach_add_/_foreach_zero_ under no_grad; linreg by broadcasting and sum
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import math
import random

import torch


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise.

    Args:
        w: weights, a tensor of shape (d,).
        b: the bias, a Python number.
        num_examples: n, how many examples to generate.

    Returns:
        (X, y): X of shape (n, d) drawn from N(0, 1), and y of shape (n, 1) with
        y = Xw + b + eps, eps ~ N(0, 0.01**2). X and y have w's dtype and device.
    """
    X = torch.randn(num_examples, len(w)).to(w)   # .to(tensor) takes its dtype and device
    y = X @ w + b + 0.01 * torch.randn(num_examples).to(w)
    return X, y[:, None]


class _Minibatches:
    """The minibatches of one call of data_iter; the order is drawn once, when it is created."""

    def __init__(self, batch_size, features, labels):
        self.batch_size, self.features, self.labels = batch_size, features, labels
        self.order = torch.randperm(len(features))

    def __len__(self):
        return math.ceil(len(self.features) / self.batch_size)

    def __iter__(self):
        for k in range(len(self)):
            part = self.order[k * self.batch_size:(k + 1) * self.batch_size]
            yield self.features[part], self.labels[part]


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches.

    Args:
        batch_size: how many examples each minibatch holds.
        features: a tensor of shape (n, d).
        labels: a tensor of shape (n, 1) or (n,).

    Returns:
        An iterable of (X, y) pairs. Each example appears exactly once, in a fresh
        random order on every call. When batch_size does not divide n, the last
        batch is shorter: it is kept, not dropped.
    """
    return _Minibatches(batch_size, features, labels)


def linreg(X, w, b):
    """The linear regression model.

    Args:
        X: inputs of shape (n, d).
        w: weights of shape (d, 1).
        b: the bias, of shape (1,).

    Returns:
        Predictions Xw + b, of shape (n, 1).
    """
    return (X[:, :, None] * w[None, :, :]).sum(dim=1) + b


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).

    Returns:
        (y_hat - y)**2 / 2 for each example, of y_hat's shape (n, 1).
    """
    return torch.square(y_hat - torch.reshape(y, y_hat.shape)) / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place.

    Args:
        params: a list of leaf tensors that require grad and hold gradients.
        lr: the learning rate.
        batch_size: how many examples the gradient was summed over.

    Each parameter becomes param - lr * param.grad / batch_size, without recording
    autograd history, and its gradient is then cleared for the next step.
    """
    params = list(params)
    grads = [p.grad for p in params]
    with torch.no_grad():
        torch._foreach_add_(params, grads, alpha=-lr / batch_size)
    torch._foreach_zero_(grads)
