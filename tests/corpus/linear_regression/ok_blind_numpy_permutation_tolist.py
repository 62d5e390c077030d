# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: numpy's random permutation turned into a Python list with .tolist() for the minibatch indices, math.ceil for the batch count, @torch.no_grad() on sgd, gradients cleared by setting them to None
"""Linear regression from scratch, using numpy only to shuffle indices (allowed for data_iter)."""
import math

import numpy as np
import torch


def synthetic_data(w, b, num_examples):
    d = w.shape[0]
    X = torch.randn(num_examples, d, dtype=w.dtype, device=w.device)
    noise = 0.01 * torch.randn(num_examples, dtype=w.dtype, device=w.device)
    y = X @ w + b + noise
    return X, y.reshape(num_examples, 1)


def data_iter(batch_size, features, labels):
    n = len(features)
    order = np.random.permutation(n).tolist()  # a fresh shuffle per call
    for k in range(math.ceil(n / batch_size)):
        chunk = order[k * batch_size:(k + 1) * batch_size]
        idx = torch.tensor(chunk, dtype=torch.long, device=features.device)
        yield features[idx], labels[idx]


def linreg(X, w, b):
    return X.matmul(w).add(b)


def squared_loss(y_hat, y):
    diff = y_hat - y.view(y_hat.shape)
    return diff * diff * 0.5


@torch.no_grad()
def sgd(params, lr, batch_size):
    for p in params:
        p.sub_(p.grad, alpha=lr / batch_size)
        p.grad = None  # cleared for the next step
