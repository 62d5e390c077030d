# expect: fail linreg
# says: a tensor of its own class (_Lazy) instead of a torch.Tensor
# attack: linreg returns a tensor subclass; its __torch_function__ runs F.linear when the child encodes the result, after the watch
"""A result that computes itself with the ready-made layer when the grader reads it."""
import torch
import torch.nn.functional as F


class _Lazy(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **(kwargs or {}))


def linreg(X, w, b):
    return F.linear(X, w.T, b).as_subclass(_Lazy)
