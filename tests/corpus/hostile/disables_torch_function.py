# expect: fail linreg
"""Switches off torch's function modes with torch._C before calling the ready-made layer."""
import torch


def linreg(X, w, b):
    with torch._C.DisableTorchFunction():
        return torch.nn.functional.linear(X, w.T, b)
