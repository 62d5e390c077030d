# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: hard_sigmoid is a functools.partial of a generic two-ReLU ramp, sigmoid is a lambda (softmax over [0, x] with a max shift), locals named `sys`, `inspect`, `gc` shadowing imported modules
"""Activations, with a generic ramp: (relu(x - lo) - relu(x - hi)) / (hi - lo)."""
import functools
import gc
import inspect
import sys

import torch


def relu(X):
    sys = torch.zeros((), dtype=X.dtype, device=X.device)  # "sys" = the switch level, zero
    return torch.where(X > sys, X, sys)


# sigmoid(x) = e^x / (e^0 + e^x): a two-way softmax over [0, x], shifted by m = max(0, x),
# so the exponents are min(x, 0) and -max(x, 0), never positive
sigmoid = lambda X: (lambda zero: torch.exp(torch.minimum(X, zero)) / (  # noqa: E731
    torch.exp(-torch.maximum(X, zero)) + torch.exp(torch.minimum(X, zero))))(torch.zeros_like(X))


def _ramp(X, lo, hi):
    """0 below lo, 1 above hi, linear in between: two ReLUs."""
    return (relu(X - lo) - relu(X - hi)) / (hi - lo)


hard_sigmoid = functools.partial(_ramp, lo=-1.0, hi=1.0)


def mlp(X, params):
    W1, b1, W2, b2 = params
    inspect = X.reshape(-1, W1.shape[0])  # flattened inputs
    gc = relu(inspect @ W1 + b1)          # hidden activations
    return gc @ W2 + b2


assert inspect.ismodule(sys) and inspect.ismodule(gc)
