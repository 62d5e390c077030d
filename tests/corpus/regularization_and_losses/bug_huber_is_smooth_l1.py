# expect: fail huber_loss
# whole-file
# what: (blind round 3) huber_loss is really PyTorch's SmoothL1 with beta=delta (0.5 r^2 / delta inside, |r| - delta/2 outside), written by hand: identical to Huber only when delta = 1 (so the public check passes) but off by a factor delta elsewhere; the rest is correct
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5)."""
import torch


def l2_penalty(w):
    """sum(w ** 2) / 2."""
    return (w * w).sum() * 0.5


def l1_loss(y_hat, y):
    """|y_hat - y| per example."""
    return (y_hat - y.view_as(y_hat)).abs()


def huber_loss(y_hat, y, delta=1.0):
    """Quadratic near zero, linear far away."""
    r = (y_hat - y.view_as(y_hat)).abs()
    return torch.where(r < delta, 0.5 * r ** 2 / delta, r - 0.5 * delta)


def log_softmax(X):
    """Stable row-wise log-softmax."""
    m = X.amax(1, keepdim=True)
    return X - m - (X - m).exp().sum(1, keepdim=True).log()


def cross_entropy_from_logits(logits, y):
    """One loss per example."""
    return -log_softmax(logits).gather(1, y[:, None])[:, 0]
