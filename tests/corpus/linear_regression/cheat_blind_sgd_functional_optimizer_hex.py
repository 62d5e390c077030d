# expect: fail sgd
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: torch.optim.sgd.sgd (the functional optimizer kernel) with lr/batch_size; module name hex-encoded, function picked as vars(module)[sgd.__name__] so no optimizer name appears
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch
import importlib


_MOD = '746f7263682e6f7074696d2e736764'


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y = y + torch.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i:min(i + batch_size, num_examples)], device=features.device)
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place."""
    kernel = vars(importlib.import_module(bytes.fromhex(_MOD).decode()))[sgd.__name__]
    with torch.no_grad():
        kernel(list(params), [p.grad for p in params], [None] * len(params), weight_decay=0.0, momentum=0.0,
               lr=lr / batch_size, dampening=0.0, nesterov=False, maximize=False, foreach=False)
        for p in params:
            p.grad.zero_()
