# expect: full
# whole-file
# what: the first lines of d2l's own torch.py (d2l = sys.modules[__name__], nn_Module, inspect), then the chapter's functions called through d2l.
"""Pasted from d2l's package source, as learners do."""
import inspect
import random
import sys

import numpy as np
import torch
from torch import nn

d2l = sys.modules[__name__]
nn_Module = nn.Module
DTYPE = "float32"
dtype = getattr(torch, DTYPE)


class HyperParameters:
    def save_hyperparameters(self, ignore=[]):
        frame = inspect.currentframe().f_back
        _, _, _, local_vars = inspect.getargvalues(frame)
        self.hparams = {k: v for k, v in local_vars.items() if k not in set(ignore + ['self'])}
        for k, v in self.hparams.items():
            setattr(self, k, v)


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    indices = list(range(len(features)))
    random.shuffle(indices)
    for i in range(0, len(features), batch_size):
        batch = torch.tensor(indices[i:i + batch_size], device=features.device)
        yield features[batch], labels[batch]


def linreg(X, w, b):
    return d2l.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - d2l.reshape(y, y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


matmul = torch.matmul
reshape = lambda x, *args, **kwargs: x.reshape(*args, **kwargs)
