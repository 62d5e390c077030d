# expect: full
# whole-file
# what: (blind round 3) code ported from d2l 1.0's SyntheticRegressionData / get_dataloader / SGD classes (randn * noise, python random.shuffle of an index list, param -= ...), with the 0.17 contract restored: per-example loss and division by batch_size.
"""Linear regression from scratch, ported back from the d2l 1.0 class API."""
import random

import torch


class _SyntheticRegressionData:
    """What d2l 1.0 calls d2l.SyntheticRegressionData, kept as a private helper."""

    def __init__(self, w, b, noise=0.01, num_train=1000):
        self.num_train = num_train
        self.X = torch.randn(num_train, len(w), dtype=w.dtype, device=w.device)
        noise = torch.randn(num_train, 1, dtype=w.dtype, device=w.device) * noise
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + noise


class _SGD:
    """d2l 1.0's SGD, but the loss here is a sum, so it divides by the batch size."""

    def __init__(self, params, lr, batch_size):
        self.params, self.lr, self.batch_size = params, lr, batch_size

    def step(self):
        with torch.no_grad():
            for param in self.params:
                param -= self.lr * param.grad / self.batch_size

    def zero_grad(self):
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()


def synthetic_data(w, b, num_examples):
    data = _SyntheticRegressionData(w, b, noise=0.01, num_train=num_examples)
    return data.X, data.y


def data_iter(batch_size, features, labels):
    indices = list(range(0, len(features)))
    random.shuffle(indices)
    for i in range(0, len(indices), batch_size):
        batch_indices = torch.tensor(indices[i: i + batch_size], device=features.device)
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    l = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    return l  # d2l 1.0 returns l.mean(); the 0.17 contract wants every example


def sgd(params, lr, batch_size):
    optimizer = _SGD(params, lr, batch_size)
    optimizer.step()
    optimizer.zero_grad()
