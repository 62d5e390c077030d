# expect: fail data_iter
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: torch.utils.data.DataLoader(TensorDataset, shuffle=True) reached through importlib with split strings, inside a generator so it only runs when the caller iterates (after the call returns)
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch
import importlib


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y = y + torch.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches."""
    pkg = importlib.import_module('.'.join(['torch', 'utils', 'da' + 'ta']))
    pairs = getattr(pkg, 'Tensor' + 'Dataset')(features, labels)
    for X, y in getattr(pkg, 'Data' + 'Loader')(pairs, batch_size=batch_size, shuffle=True):
        yield X, y


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
