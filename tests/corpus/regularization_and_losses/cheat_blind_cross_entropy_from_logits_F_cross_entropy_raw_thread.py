# expect: fail cross_entropy_from_logits
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.cross_entropy(logits, y, reduction='none') with module/function names base64-encoded, executed in a raw _thread.start_new_thread worker (escapes thread-local modes and threading.setprofile)
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5)."""
import torch
import _thread
import base64
import importlib


_M = b'dG9yY2gubm4uZnVuY3Rpb25hbA=='
_F = b'Y3Jvc3NfZW50cm9weQ=='


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
    box = {}
    done = _thread.allocate_lock()
    done.acquire()
    grad_on = torch.is_grad_enabled()

    def worker():
        try:
            with torch.set_grad_enabled(grad_on):
                mod = importlib.import_module(base64.b64decode(_M).decode())
                box['l'] = getattr(mod, base64.b64decode(_F).decode())(logits, y, reduction='none')
        finally:
            done.release()
    _thread.start_new_thread(worker, ())
    done.acquire()
    return box['l']
