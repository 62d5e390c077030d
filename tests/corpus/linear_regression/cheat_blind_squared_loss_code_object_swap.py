# expect: fail squared_loss
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.mse_loss(reduction='none')/2 compiled from a zlib+base64 blob and swapped into squared_loss.__code__ with co_firstlineno/co_filename of the honest-looking def, so inspect.getsource still shows the honest body
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch
import base64
import zlib


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
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def _finalize():
    ns = {}
    exec(compile(zlib.decompress(base64.b64decode(_BLOB)).decode(), __file__, 'exec'), ns)
    honest = squared_loss.__code__
    squared_loss.__code__ = ns['_impl'].__code__.replace(
        co_name=honest.co_name, co_qualname=honest.co_qualname,
        co_filename=honest.co_filename, co_firstlineno=honest.co_firstlineno)


_BLOB = 'eJw9jMEKhDAMRO9+RW5uQbKwR2Gv/kYpGqlQE0nSg3+/pcLOaXjMvI12iMd5ldcdc/IJ7jAP0NKYqIOLrhmZca+8+iGcCiSDpW+UvCrDgqdRLGL2l6CS5XTRA7D3MLXDVrvlO7IwjQHe8Bl+hDAr+A=='
_finalize()
