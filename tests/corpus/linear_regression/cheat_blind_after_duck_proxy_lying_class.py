# expect: fail linreg
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: returning a lazy non-tensor: linreg returns a plain Python object that claims __class__ is torch.Tensor (so isinstance passes), implements __torch_function__, __getattr__ and the operators, and only computes torch.nn.functional.linear when something first uses it, outside the call
"""linear_regression: from-scratch solutions (d2l chapter 3)."""
import random

import torch
import operator

from torch.utils import _pytree


class _Lazy:
    """Stands in for X @ w + b until somebody looks."""

    def __init__(self, X, w, b):
        object.__setattr__(self, "_args", (X, w, b))
        object.__setattr__(self, "_value", None)

    @property
    def __class__(self):
        return torch.Tensor

    def _real(self):
        if object.__getattribute__(self, "_value") is None:
            X, w, b = object.__getattribute__(self, "_args")
            layer = getattr(torch.nn.functional, "lin" + "ear")
            object.__setattr__(self, "_value", layer(X, w.t(), b))
        return object.__getattribute__(self, "_value")

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        unwrap = lambda a: a._real() if type(a) is _Lazy else a
        args, kwargs = _pytree.tree_map(unwrap, (args, kwargs or {}))
        return func(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real(), name)

    def __setattr__(self, name, value):
        setattr(self._real(), name, value)

    def __repr__(self):
        return repr(self._real())

    def __format__(self, spec):
        return format(self._real(), spec)

    def __len__(self):
        return len(self._real())

    def __iter__(self):
        return iter(self._real())

    def __getitem__(self, i):
        return self._real()[i]

    def __array__(self, *a, **k):
        return self._real().detach().cpu().numpy().__array__(*a, **k)

    def __reduce_ex__(self, proto):
        return self._real().__reduce_ex__(proto)

    def __float__(self):
        return float(self._real())

    def __bool__(self):
        return bool(self._real())

    __hash__ = object.__hash__


def _binary(op, reflected=False):
    def f(self, other):
        other = other._real() if type(other) is _Lazy else other
        return op(other, self._real()) if reflected else op(self._real(), other)
    return f


for _name in ("add", "sub", "mul", "truediv", "pow", "matmul", "eq", "ne", "lt", "le", "gt", "ge"):
    _op = getattr(operator, _name)
    setattr(_Lazy, f"__{_name}__", _binary(_op))
    if _name in ("add", "sub", "mul", "truediv", "pow", "matmul"):
        setattr(_Lazy, f"__r{_name}__", _binary(_op, reflected=True))
_Lazy.__neg__ = lambda self: -self._real()
_Lazy.__abs__ = lambda self: abs(self._real())


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
    return _Lazy(X, w, b)


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
