# expect: fail squared_loss
# says: switches off or reaches the grader's from-scratch watch (seen while it ran)
"""Switches off torch's Python dispatch with the helper torch keeps for itself (bound before the
grader's tripwires could wrap torch._C), then calls the raw aten loss, all through built names.
(`_torch = torch` hides the module from the grader's reading of the source, which flags
getattr(torch, <computed name>): this file tests the run-time watch behind it.)"""
import torch

_torch = torch

_mode_utils = getattr(getattr(_torch, "ut" + "ils"), "_mode" + "_utils")


def squared_loss(y_hat, y):
    aten = getattr(getattr(_torch, "o" + "ps"), "aten")
    with getattr(_mode_utils, "no" + "_dispatch")():
        return getattr(aten, "mse" + "_loss")(y_hat, y.reshape(y_hat.shape), 0) / 2
