# expect: fail huber_loss
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: aten::huber_loss (reduction none) called via OpOverload.redispatch with an explicit {CPU, AutogradCPU} keyset that skips the Python key (invisible to both modes), autograd kept; op name from a byte list
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5)."""
import torch


_OP = getattr(torch.ops.aten, bytes([104, 117, 98, 101, 114, 95, 108, 111, 115, 115]).decode()).default


def _keys(t):
    DK = torch._C.DispatchKey
    cuda = t.device.type == 'cuda'
    return torch._C.DispatchKeySet(DK.CUDA if cuda else DK.CPU).add(DK.AutogradCUDA if cuda else DK.AutogradCPU)


def l2_penalty(w):
    """The L2 penalty of weight decay, as in the book."""
    return torch.sum(w ** 2) / 2


def l1_loss(y_hat, y):
    """The absolute error of each example, not averaged."""
    return torch.abs(y_hat - y.reshape(y_hat.shape))


def huber_loss(y_hat, y, delta=1.0):
    """The Huber loss of each example, not averaged."""
    y = y.reshape(y_hat.shape)
    return _OP.redispatch(_keys(y_hat), y_hat, y, 0, float(delta))


def log_softmax(X):
    """Row-wise log-softmax, computed stably with the LogSumExp trick."""
    m = X.max(dim=1, keepdim=True).values
    return X - m - torch.log(torch.exp(X - m).sum(1, keepdim=True))


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged."""
    m = logits.max(dim=1, keepdim=True).values
    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(1, keepdim=True))
    return -log_probs[torch.arange(len(logits), device=logits.device), y]
