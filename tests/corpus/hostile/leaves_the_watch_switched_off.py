# expect: fail linreg
# says: left switched off (seen while it ran)
"""Enters torch's switch for function modes and never leaves it, through names built at run time:
every later call would run unwatched by the function mode."""
import torch

_core = getattr(torch, "_" + "C")


def linreg(X, w, b):
    getattr(_core, "Disable" + "TorchFunction")().__enter__()
    return torch.matmul(X, w) + b
