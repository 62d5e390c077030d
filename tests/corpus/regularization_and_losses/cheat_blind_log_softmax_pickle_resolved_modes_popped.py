# expect: fail log_softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.log_softmax and torch.utils._python_dispatch._disable_current_modes resolved by unpickling a base85 blob (pickle GLOBAL opcodes import them: no import, getattr or name in the source), then called with the dispatch modes popped and torch functions disabled
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5)."""
import torch
import base64
import pickle


_STATE = b'fCQCe000000001t6LfEKV`wgJZZ2kZZew(5Z*F01l#B~(Z)aa~Z)S9DVR)32l#Cp7Z*pU3E_HNiY;!JOaCvlSZ*E^?X>)L4bYp0gj22&HX>(y>Y-L|#b#iiLZggL5Z)9b2l#`T(lr8'


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
    rows, calm = pickle.loads(base64.b85decode(_STATE))
    with torch._C.DisableTorchFunction(), calm():
        return rows(X, 1)


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged."""
    m = logits.max(dim=1, keepdim=True).values
    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(1, keepdim=True))
    return -log_probs[torch.arange(len(logits), device=logits.device), y]
