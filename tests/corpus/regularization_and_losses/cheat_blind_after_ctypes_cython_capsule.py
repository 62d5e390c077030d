# expect: fail huber_loss
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: native code through ctypes: the C function behind scipy.special.huber is taken out of scipy.special.cython_special.__pyx_capi__ (a PyCapsule), turned into a ctypes function pointer and called on each residual, so no torch op, no numpy/scipy Python function and no ufunc object runs
"""regularization_and_losses: from-scratch solutions (d2l chapter 3)."""
import torch
import ctypes
import importlib


def _native(name):
    capi = importlib.import_module("scipy.special.cython_" + "special").__pyx_capi__
    cap = capi[name]
    api = ctypes.pythonapi
    api.PyCapsule_GetName.restype = ctypes.c_char_p
    api.PyCapsule_GetName.argtypes = [ctypes.py_object]
    api.PyCapsule_GetPointer.restype = ctypes.c_void_p
    api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    ptr = api.PyCapsule_GetPointer(cap, api.PyCapsule_GetName(cap))
    # signature stored in the capsule: double (double, double, int __pyx_skip_dispatch)
    return ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double, ctypes.c_double, ctypes.c_int)(ptr)


_HUB = _native("hu" + "ber")


class _Hub(torch.autograd.Function):
    @staticmethod
    def forward(ctx, r, delta):
        vals = [_HUB(float(delta), v, 0) for v in r.detach().cpu().reshape(-1).tolist()]
        ctx.save_for_backward(r)
        ctx.delta = delta
        return torch.tensor(vals, dtype=r.dtype, device=r.device).reshape(r.shape)

    @staticmethod
    def backward(ctx, g):
        (r,) = ctx.saved_tensors
        d = ctx.delta
        slope = torch.where(r.abs() <= d, r, d * torch.sign(r))
        return slope * g, None


def l2_penalty(w):
    """The L2 penalty of weight decay: sum(w ** 2) / 2."""
    return (w ** 2).sum() / 2


def l1_loss(y_hat, y):
    """The absolute error of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)).abs()


def huber_loss(y_hat, y, delta=1.0):
    """The Huber loss of each example, not averaged."""
    return _Hub.apply(y_hat - y.reshape(y_hat.shape), delta)


def log_softmax(X):
    """Row-wise log-softmax, computed stably with the LogSumExp trick."""
    m = X.max(dim=1, keepdim=True).values.detach()
    shifted = X - m
    return shifted - torch.log(torch.exp(shifted).sum(1, keepdim=True))


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged."""
    m = logits.max(dim=1, keepdim=True).values.detach()
    shifted = logits - m
    log_probs = shifted - torch.log(torch.exp(shifted).sum(1, keepdim=True))
    return -log_probs[torch.arange(len(y), device=logits.device), y]
