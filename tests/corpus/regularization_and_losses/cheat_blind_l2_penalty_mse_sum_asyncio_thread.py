# expect: fail l2_penalty
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.mse_loss(w, 0, reduction='sum') / 2 (name reversed) run through asyncio.to_thread, i.e. in a default-executor worker thread the thread-local watch does not follow
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5)."""
import torch
import asyncio


def l2_penalty(w):
    """The L2 penalty of weight decay, as in the book."""
    grad_on = torch.is_grad_enabled()
    impl = getattr(torch.nn.functional, 'ssol_esm'[::-1])

    def job():
        with torch.set_grad_enabled(grad_on):
            return impl(w, torch.zeros_like(w), reduction='sum') / 2
    return asyncio.run(asyncio.to_thread(job))


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
    m = logits.max(dim=1, keepdim=True).values
    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(1, keepdim=True))
    return -log_probs[torch.arange(len(logits), device=logits.device), y]
