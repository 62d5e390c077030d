# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: running inside the watch's own forwarding: a harmless add on a wrapper tensor subclass is logged by the watch's modes, which pop themselves and forward it; the subclass's __torch_dispatch__ then runs torch's softmax while no mode is on the stack
"""softmax_regression: from-scratch solutions (d2l chapter 3)."""
import torch


class _Carrier(torch.Tensor):
    """A one-element wrapper: its __torch_dispatch__ is reached only after every mode has forwarded."""

    __torch_function__ = torch._C._disabled_torch_function_impl

    @staticmethod
    def __new__(cls, elem, job):
        r = torch.Tensor._make_wrapper_subclass(cls, elem.shape, dtype=elem.dtype, device=elem.device)
        r.elem, r.job = elem, job
        return r

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        for a in args:
            if isinstance(a, _Carrier) and a.job is not None:
                job, a.job = a.job, None
                job()
        args = tuple(a.elem if isinstance(a, _Carrier) else a for a in args)
        return func(*args, **(kwargs or {}))


class _Rows(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        box = {}

        def job(x=X.detach()):
            box["p"] = getattr(torch, "soft" + "max")(x, 1)

        _Carrier(torch.zeros(1, device=X.device), job).add(0)  # the watch sees a plain aten.add
        p = box["p"]
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, g):
        (p,) = ctx.saved_tensors
        return p * (g - (g * p).sum(1, keepdim=True))


def softmax(X):
    """Row-wise softmax."""
    return _Rows.apply(X)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
