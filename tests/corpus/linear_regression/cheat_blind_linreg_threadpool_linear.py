# expect: fail linreg
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.linear(X, w.T, b) run in a concurrent.futures worker thread (torch function/dispatch modes are thread-local); module and function names built from chr codes
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch


def _name(*codes):
    return ''.join(map(chr, codes))


_POOL = __import__(_name(99, 111, 110, 99, 117, 114, 114, 101, 110, 116, 46, 102, 117, 116, 117, 114, 101, 115),
                   fromlist=['_']).ThreadPoolExecutor(max_workers=1)
_LAYER = getattr(__import__(_name(116, 111, 114, 99, 104, 46, 110, 110, 46, 102, 117, 110, 99, 116, 105, 111, 110, 97, 108),
                            fromlist=['_']), _name(108, 105, 110, 101, 97, 114))


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
    grad_on = torch.is_grad_enabled()

    def job():
        with torch.set_grad_enabled(grad_on):
            return _LAYER(X, w.t(), b)
    return _POOL.submit(job).result()


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
