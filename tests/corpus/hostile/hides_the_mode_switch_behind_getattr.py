# expect: fail squared_loss
# says: switches off or reaches the grader's from-scratch watch (seen while it ran)
"""Builds every name at run time, so that the grader's reading of the source sees no tampering
tool and no ready-made loss: only the run-time watch can notice the modes being popped.
(`_torch = torch` hides the module from the grader's reading of the source, which flags
getattr(torch, <computed name>): this file tests the run-time watch behind it.)"""
import torch

_torch = torch

_utils = getattr(_torch, "ut" + "ils")


def squared_loss(y_hat, y):
    dispatch = getattr(_utils, "_python" + "_dispatch")
    functional = getattr(getattr(_torch, "n" + "n"), "function" + "al")
    with getattr(dispatch, "_disable" + "_current_modes")():
        return getattr(functional, "mse" + "_loss")(y_hat, y.reshape(y_hat.shape), reduction="none") / 2
