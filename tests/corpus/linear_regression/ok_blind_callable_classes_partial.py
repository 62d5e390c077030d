# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: data_iter returns an iterator object (class with __iter__/__next__), squared_loss is a functools.partial, linreg is a lambda, sgd is a callable-class instance with an isinstance(params, torch.optim.Optimizer) guard
"""Linear regression from scratch with callables instead of plain functions."""
import functools

import torch


def synthetic_data(w, b, num_examples):
    """y = Xw + b + N(0, 0.01^2) noise, X ~ N(0, 1)."""
    factory = dict(dtype=w.dtype, device=w.device)
    X = torch.normal(0.0, 1.0, size=(num_examples, w.numel()), **factory)
    eps = torch.normal(0.0, 0.01, size=(num_examples, 1), **factory)
    return X, (X @ w.reshape(-1, 1)) + b + eps


class _MinibatchIterator:
    """One shuffled pass over (features, labels); behaves like the book's generator."""

    def __init__(self, batch_size, features, labels):
        self.batch_size = batch_size
        self.features, self.labels = features, labels
        self.order = torch.randperm(len(features), device=features.device)  # drawn per call
        self.start = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.start >= len(self.order):
            raise StopIteration
        idx = self.order[self.start:self.start + self.batch_size]
        self.start += self.batch_size
        return self.features[idx], self.labels[idx]


def data_iter(batch_size, features, labels):
    return _MinibatchIterator(batch_size, features, labels)


linreg = lambda X, w, b: torch.mm(X, w) + b  # noqa: E731


def _scaled_power_error(y_hat, y, *, power, scale):
    return scale * (y_hat - y.reshape(y_hat.shape)) ** power


squared_loss = functools.partial(_scaled_power_error, power=2, scale=0.5)


class _PlainSGD:
    """Callable: sgd(params, lr, batch_size)."""

    def __call__(self, params, lr, batch_size):
        if isinstance(params, torch.optim.Optimizer):
            raise TypeError("pass the parameter list itself, not a torch.optim optimizer")
        step = lr / batch_size
        with torch.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-step)
                p.grad.zero_()


sgd = _PlainSGD()
