# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: blinding the watch in place: the ready-made softmax runs inside torch._C.DisableTorchFunction and torch.utils._python_dispatch._disable_current_modes (both reached through getattr on reversed strings), so neither mode is on the stack while it runs
"""softmax_regression: from-scratch solutions (d2l chapter 3)."""
import torch
import contextlib
import importlib


def _r(s):
    return s[::-1]


@contextlib.contextmanager
def _unseen():
    C = getattr(torch, _r("C_"))
    pd = importlib.import_module(_r("hctapsid_nohtyp_.slitu.hcrot"))
    with contextlib.ExitStack() as stack:
        stack.enter_context(getattr(C, _r("noitcnuFhcroTelbasiD"))())
        stack.enter_context(getattr(pd, _r("sedom_tnerruc_elbasid_"))())
        yield


class _Rows(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        with _unseen():
            p = getattr(torch.nn.functional, _r("xamtfos"))(X, dim=1)
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
