# expect: fail sigmoid
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: scipy.special.expit applied element by element with Tensor.apply_ on a float64 copy (no aten op for the values; module name from a base64 string), custom autograd.Function with an elementary backward s(1-s)
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch
import base64
import importlib


class _Squash(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        mod, name = base64.b64decode(_WHERE).decode().rsplit('.', 1)
        fn = getattr(importlib.import_module(mod), name)
        s = X.detach().to('cpu', torch.float64).clone().apply_(lambda v: float(fn(v)))
        s = s.to(dtype=X.dtype, device=X.device)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, g):
        s, = ctx.saved_tensors
        return g * s * (1 - s)


_WHERE = b'c2NpcHkuc3BlY2lhbC5leHBpdA=='


def _pos(X):
    """max(x, 0) with elementary ops (used by the functions below)."""
    return torch.max(X, torch.zeros_like(X))


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    a = torch.zeros_like(X)
    return torch.max(X, a)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    return _Squash.apply(X)


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    return (_pos(X + 1) - _pos(X - 1)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = _pos(X @ W1 + b1)
    return H @ W2 + b2
