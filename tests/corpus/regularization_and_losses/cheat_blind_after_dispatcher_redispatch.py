# expect: fail log_softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: calling below the Python dispatch key: aten._log_softmax is sent straight to its CPU/CUDA kernel with OpOverload.redispatch(DispatchKeySet(backend), ...), a path that consults neither __torch_function__ modes nor the Python key where TorchDispatchModes live
"""regularization_and_losses: from-scratch solutions (d2l chapter 3)."""
import torch


def _kernel_only(X):
    aten = torch.ops.aten
    op = getattr(getattr(aten, "_log_" + "soft" + "max"), "default")
    backend = {"cpu": torch._C.DispatchKey.CPU, "cuda": torch._C.DispatchKey.CUDA}[X.device.type]
    return op.redispatch(torch._C.DispatchKeySet(backend), X.contiguous(), 1, False)


class _LogRows(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        out = _kernel_only(X)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g - torch.exp(out) * g.sum(1, keepdim=True)


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
    return _LogRows.apply(X)


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged."""
    m = logits.max(dim=1, keepdim=True).values.detach()
    shifted = logits - m
    log_probs = shifted - torch.log(torch.exp(shifted).sum(1, keepdim=True))
    return -log_probs[torch.arange(len(y), device=logits.device), y]
