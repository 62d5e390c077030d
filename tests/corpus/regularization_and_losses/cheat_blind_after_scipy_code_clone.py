# expect: fail cross_entropy_from_logits
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: the computation leaves torch for numpy, and scipy's log_softmax is run as a re-labelled clone (its code object copied with a new name and file into a fresh function), so neither torch's modes nor a wrapper/profiler keyed on scipy's function or code object sees it
"""regularization_and_losses: from-scratch solutions (d2l chapter 3)."""
import torch
import importlib
import types

import numpy as np


def _clone_rows():
    mod = importlib.import_module("scipy." + "special")
    src = getattr(mod, "log_" + "soft" + "max")
    src = getattr(src, "__wrapped__", src)
    code = src.__code__.replace(co_name="_rows", co_qualname="_rows", co_filename="<rows>")
    f = types.FunctionType(code, src.__globals__, "_rows", src.__defaults__, src.__closure__)
    f.__kwdefaults__ = src.__kwdefaults__
    return f


_ROWS = _clone_rows()


class _CE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, y):
        lp = torch.from_numpy(np.asarray(_ROWS(logits.detach().cpu().numpy(), axis=1))).to(logits.device)
        ctx.save_for_backward(lp, y)
        return -lp[torch.arange(y.shape[0], device=y.device), y]

    @staticmethod
    def backward(ctx, g):
        lp, y = ctx.saved_tensors
        grad = torch.exp(lp)
        grad[torch.arange(y.shape[0], device=y.device), y] -= 1
        return grad * g[:, None], None


def l2_penalty(w):
    """The L2 penalty of weight decay: sum(w ** 2) / 2."""
    return (w ** 2).sum() / 2


def l1_loss(y_hat, y):
    """The absolute error of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)).abs()


def huber_loss(y_hat, y, delta=1.0):
    """The Huber loss of each example, not averaged."""
    r = (y_hat - y.reshape(y_hat.shape)).abs()
    return torch.where(r <= delta, r ** 2 / 2, delta * (r - delta / 2))


def log_softmax(X):
    """Row-wise log-softmax, computed stably with the LogSumExp trick."""
    m = X.max(dim=1, keepdim=True).values.detach()
    shifted = X - m
    return shifted - torch.log(torch.exp(shifted).sum(1, keepdim=True))


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged."""
    return _CE.apply(logits, y)
