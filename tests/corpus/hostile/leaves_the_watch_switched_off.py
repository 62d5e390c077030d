# expect: fail linreg
# says: left switched off (seen while it ran)
"""Enters torch's switch for function modes and never leaves it, through names built at run time:
every later call would run unwatched by the function mode.
(`_torch = torch` hides the module from the grader's reading of the source, which flags
getattr(torch, <computed name>): this file tests the run-time watch behind it.)"""
import torch

_torch = torch

_core = getattr(_torch, "_" + "C")


def linreg(X, w, b):
    getattr(_core, "Disable" + "TorchFunction")().__enter__()
    return torch.matmul(X, w) + b
