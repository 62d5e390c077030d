# expect: fail sigmoid
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: work outside torch: the tensor goes to numpy and through scipy's expit ufunc object, taken from the private C-extension module scipy.special._ufuncs (so a wrapper put on scipy.special.expit is bypassed, and a ufunc call raises no Python-level call event); torch only sees numpy()/from_numpy
"""mlp: from-scratch solutions (d2l chapter 3)."""
import torch
import importlib

import numpy as np

_EXPIT = getattr(importlib.import_module("scipy.special._u" + "funcs"), "ex" + "pit")


class _Logistic(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        s = torch.from_numpy(np.asarray(_EXPIT(X.detach().cpu().numpy()))).to(X.device)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, g):
        (s,) = ctx.saved_tensors
        return g * s * (1 - s)


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    return X * (X > 0)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    return _Logistic.apply(X)


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    up, down = X + 1, X - 1
    return (up * (up > 0) - down * (down > 0)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = X @ W1 + b1
    H = H * (H > 0)
    return H @ W2 + b2
