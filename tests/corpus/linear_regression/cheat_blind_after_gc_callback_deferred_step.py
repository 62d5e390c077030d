# expect: fail sgd
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: deferred by the garbage collector: sgd records the step, registers a gc.callbacks hook and drops the generation-0 threshold to 1 with enough live young objects that a collection starts on the caller's very next allocation (re-inflated after every collection that could not act); the hook takes the step with torch.optim's functional sgd as soon as no torch mode is on the stack and sgd's frame is gone, then restores the threshold
"""linear_regression: from-scratch solutions (d2l chapter 3)."""
import random

import torch
import gc
import importlib
import sys

_OWED = []
_THRESHOLD = []
_BALLAST = []


def _mode_free():
    C = torch._C
    return C._len_torch_function_stack() == 0 and C._len_torch_dispatch_stack() == 0


def _in_sgd():
    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_filename == __file__ and f.f_code.co_name == "sgd":
            return True
        f = f.f_back
    return False


def _settle():
    jobs = list(_OWED)
    _OWED.clear()
    # torch.optim's functional SGD (torch.optim.sgd.sgd): the same update as torch.optim.SGD.step, without an
    # Optimizer object, so global optimizer step hooks never fire either
    functional = getattr(importlib.import_module("torch.optim." + "sgd"), "s" + "gd")
    for params, lr, batch_size in jobs:
        with torch.no_grad():
            functional(params, [p.grad for p in params], [None] * len(params), foreach=False, weight_decay=0.0,
                       momentum=0.0, lr=lr / batch_size, dampening=0.0, nesterov=False, maximize=False)
        for p in params:
            p.grad = None


def _disarm():
    if _collected in gc.callbacks:
        gc.callbacks.remove(_collected)
    if _THRESHOLD:
        gc.set_threshold(*_THRESHOLD.pop())


def _inflate():
    # Young objects kept alive keep the generation-0 count above the threshold of 1, so the very next
    # allocation anywhere starts another collection (and another look at whether the step can be taken).
    _BALLAST.append([[] for _ in range(64)])


def _collected(phase, info):
    if not _OWED:
        return
    if phase == "start" and not _in_sgd() and _mode_free():
        _disarm()
        _BALLAST.clear()
        _settle()
    elif phase == "stop":
        _inflate()


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)], device=features.device)
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place."""
    if _OWED:
        _disarm()
        _settle()
    _OWED.append((list(params), lr, batch_size))
    _inflate()
    if _collected not in gc.callbacks:
        gc.callbacks.append(_collected)
        _THRESHOLD.append(gc.get_threshold())
        gc.set_threshold(1, *_THRESHOLD[-1][1:])
