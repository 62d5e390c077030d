# expect: fail data_iter
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: torch.utils.data.random_split(range(n), [bs, bs, ..., rest]) does the shuffling and batching; module and function names are rot13 strings looked up in sys.modules
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch
import codecs
import sys


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y = y + torch.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches."""
    n = len(features)
    sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    helper = getattr(sys.modules[codecs.decode('gbepu.hgvyf.qngn', 'rot13')],
                     codecs.decode('enaqbz_fcyvg', 'rot13'))
    batches = []
    for part in helper(range(n), sizes):
        idx = torch.tensor(list(part), dtype=torch.long, device=features.device)
        batches.append((features[idx], labels[idx]))
    return batches


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
