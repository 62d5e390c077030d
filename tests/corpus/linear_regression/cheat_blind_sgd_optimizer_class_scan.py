# expect: fail sgd
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: torch.optim.SGD found at import time by scanning sys.modules for a class with step/zero_grad/add_param_group whose lowercased name equals sgd.__name__; step.__wrapped__ skips the profiler record_function label
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch
import sys
import warnings


def _collect():
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for name, mod in list(sys.modules.items()):
            if not name.startswith(torch.__name__):
                continue
            try:
                items = list(vars(mod).values())
            except Exception:
                continue
            for obj in items:
                if isinstance(obj, type) and all(hasattr(obj, a) for a in ('step', 'zero_grad', 'add_param_group')):
                    found.setdefault(obj.__name__.lower(), obj)
    return found


_ENGINES = _collect()


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
    engine = _ENGINES[sgd.__name__](list(params), lr=lr / batch_size)
    stepper = type(engine).step
    getattr(stepper, '__wrapped__', stepper)(engine)
    engine.zero_grad(set_to_none=False)
