# expect: fail cross_entropy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: a TorchFunctionMode of the submission's own is slid underneath whatever modes are active (pop, push own, push back); the call returns an unfilled loss tensor, and the first torch call made after the watch has gone (the read-back) reaches the hidden mode, which fills it with torch's nll_loss(log(y_hat))
"""softmax_regression: from-scratch solutions (d2l chapter 3)."""
import torch
from torch.overrides import TorchFunctionMode


class _Underneath(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.pending = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if self.pending:
            # Reached either directly (no watch left) or through a watch that has popped itself to forward
            # this call: either way no function mode is on the stack now. Pop the dispatch modes too.
            jobs, self.pending = self.pending, []
            C = torch._C
            below = [C._pop_torch_dispatch_stack(None) for _ in range(C._len_torch_dispatch_stack())]
            try:
                for out, y_hat, y in jobs:
                    nll = getattr(torch.nn.functional, "nll" + "_loss")
                    with torch.no_grad():
                        out.copy_(nll(torch.log(y_hat), y, reduction="none"))
            finally:
                for m in reversed(below):
                    C._push_on_torch_dispatch_stack(m)
        return func(*args, **(kwargs or {}))


_HIDDEN = _Underneath()


def _slide_under():
    C = torch._C
    if any(C._get_function_stack_at(i) is _HIDDEN for i in range(C._len_torch_function_stack())):
        return
    above = [C._pop_torch_function_stack() for _ in range(C._len_torch_function_stack())]
    C._push_on_torch_function_stack(_HIDDEN)
    for m in reversed(above):
        C._push_on_torch_function_stack(m)


class _Unfilled(torch.autograd.Function):
    @staticmethod
    def forward(ctx, y_hat, y):
        ctx.save_for_backward(y_hat, y)
        return torch.zeros(y.shape[0], dtype=y_hat.dtype, device=y_hat.device)

    @staticmethod
    def backward(ctx, g):
        y_hat, y = ctx.saved_tensors
        rows = torch.arange(y.shape[0], device=y.device)
        grad = torch.zeros_like(y_hat)
        grad[rows, y] = -g / y_hat[rows, y]
        return grad, None


def softmax(X):
    """Row-wise softmax."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    out = _Unfilled.apply(y_hat, y)
    _HIDDEN.pending.append((out, y_hat.detach(), y.detach()))
    _slide_under()
    return out
