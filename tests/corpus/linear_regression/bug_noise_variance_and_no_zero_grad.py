# expect: fail synthetic_data, sgd
# whole-file
# what: (blind round 3) two slips: synthetic_data passes the variance 0.01**2 as torch.normal's std (noise std 1e-4, not 0.01), and sgd never clears the gradients so they accumulate across steps. data_iter, linreg and squared_loss are correct.
"""Linear regression from scratch (d2l 3.2)."""
import random

import torch


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    # eps ~ N(0, 0.01**2)
    y += torch.normal(0, 0.01 ** 2, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
