# expect: fail sgd
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: changing the __class__ of the arguments: sgd only re-classes each parameter to a Tensor subclass and returns; the first torch call that touches a parameter afterwards (the grader reading it back, setting the next .grad, the next forward) runs __torch_function__, which restores the class and takes the step with torch.optim.SGD
"""linear_regression: from-scratch solutions (d2l chapter 3)."""
import random

import torch
import importlib

from torch.utils import _pytree


def _step_now(p):
    lr, batch_size, cls = p.__dict__.pop("_pending_step")
    p.__class__ = cls
    optim = importlib.import_module("torch." + "optim")
    opt = getattr(optim, "S" + "GD")([p], lr=lr / batch_size, foreach=False)
    opt.step()
    opt.zero_grad(set_to_none=True)


class _Owed(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        def settle(a):
            if isinstance(a, _Owed):
                _step_now(a)
            return a

        _pytree.tree_map(settle, (args, kwargs or {}))
        return func(*args, **(kwargs or {}))


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
    for param in params:
        if isinstance(param, _Owed):  # a step still owed from last time
            _step_now(param)
        param.__dict__["_pending_step"] = (lr, batch_size, type(param))
        param.__class__ = _Owed if type(param) is torch.Tensor else type("_Owed", (_Owed, type(param)), {})
