# expect: fail linreg
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.linear compiled with torch.jit.CompilationUnit from a rot13 source string: the TorchScript call is invisible to a TorchFunctionMode and shows up in aten only as t + addmm (like a plain matrix product)
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch
import codecs


_UNIT = getattr(torch.jit, 'Compilation' + 'Unit')(codecs.decode('qrs zbqry(k, j, o):\n    erghea gbepu.aa.shapgvbany.yvarne(k, j.g(), o)\n', 'rot13'))


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
    return _UNIT.model(X, w, b)


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
