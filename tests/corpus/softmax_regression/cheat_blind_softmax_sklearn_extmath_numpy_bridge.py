# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: sklearn.utils.extmath.softmax on a numpy copy (module path assembled from reversed pieces via importlib), wrapped in a custom autograd.Function whose backward is elementary so gradients still flow
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style)."""
import torch
import importlib


def _helper():
    mod = importlib.import_module('.'.join(p[::-1] for p in ('nraelks', 'slitu', 'htamtxe')))
    return getattr(mod, 'xamtfos'[::-1])


class _Rows(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        arr = X.detach().cpu().double().numpy()
        p = torch.from_numpy(_helper()(arr, copy=True)).to(dtype=X.dtype, device=X.device)
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, g):
        p, = ctx.saved_tensors
        return p * (g - (g * p).sum(1, keepdim=True))


def softmax(X):
    """Row-wise softmax."""
    return _Rows.apply(X)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
