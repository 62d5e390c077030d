# expect: fail l2_penalty
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: switching dispatch keys off instead of popping modes: torch's mse_loss(w, 0, reduction='sum') runs under torch._C._ExcludeDispatchKeyGuard(Python | PythonTLSSnapshot), so the dispatcher never reaches the Python key where dispatch modes live, plus torch._C.DisableTorchFunction for the function layer
"""regularization_and_losses: from-scratch solutions (d2l chapter 3)."""
import torch


class _Half(torch.autograd.Function):
    @staticmethod
    def forward(ctx, w):
        C = torch._C
        K = C.DispatchKey
        keys = C.DispatchKeySet(getattr(K, "Py" + "thon")) | C.DispatchKeySet(getattr(K, "Python" + "TLSSnapshot"))
        with getattr(C, "Disable" + "TorchFunction")(), getattr(C, "_Exclude" + "DispatchKeyGuard")(keys):
            ready = getattr(torch.nn.functional, "mse" + "_loss")
            total = ready(w, torch.zeros_like(w), reduction="sum")
        ctx.save_for_backward(w)
        return total / 2

    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        return g * w


def l2_penalty(w):
    """The L2 penalty of weight decay: sum(w ** 2) / 2."""
    return _Half.apply(w)


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
    m = logits.max(dim=1, keepdim=True).values.detach()
    shifted = logits - m
    log_probs = shifted - torch.log(torch.exp(shifted).sum(1, keepdim=True))
    return -log_probs[torch.arange(len(y), device=logits.device), y]
