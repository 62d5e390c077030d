# expect: fail cross_entropy_from_logits
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: scipy.special.log_softmax on a float64 numpy copy (module and name decoded with str.translate), wrapped in a custom autograd.Function with an elementary backward (softmax - onehot)
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5)."""
import torch
import importlib


_SHIFT = str.maketrans('abcdefghijklmnopqrstuvwxyz', 'zabcdefghijklmnopqrstuvwxy')


class _Loss(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, y):
        mod = importlib.import_module('tdjqz.tqfdjbm'.translate(_SHIFT))
        lp = getattr(mod, 'mph_tpgunby'.translate(_SHIFT))(logits.detach().cpu().double().numpy(), axis=1)
        lp = torch.from_numpy(lp).to(dtype=logits.dtype, device=logits.device)
        ctx.save_for_backward(lp, y)
        rows = torch.arange(len(y), device=logits.device)
        return -lp[rows, y]

    @staticmethod
    def backward(ctx, g):
        lp, y = ctx.saved_tensors
        grad = torch.exp(lp)
        rows = torch.arange(len(y), device=lp.device)
        grad[rows, y] -= 1
        return grad * g.reshape(-1, 1), None


def l2_penalty(w):
    """The L2 penalty of weight decay, as in the book."""
    return torch.sum(w ** 2) / 2


def l1_loss(y_hat, y):
    """The absolute error of each example, not averaged."""
    return torch.abs(y_hat - y.reshape(y_hat.shape))


def huber_loss(y_hat, y, delta=1.0):
    """The Huber loss of each example, not averaged."""
    r = y_hat - y.reshape(y_hat.shape)
    a = torch.abs(r)
    return torch.where(a <= delta, r ** 2 / 2, delta * (a - delta / 2))


def log_softmax(X):
    """Row-wise log-softmax, computed stably with the LogSumExp trick."""
    m = X.max(dim=1, keepdim=True).values
    return X - m - torch.log(torch.exp(X - m).sum(1, keepdim=True))


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged."""
    return _Loss.apply(logits, y)
