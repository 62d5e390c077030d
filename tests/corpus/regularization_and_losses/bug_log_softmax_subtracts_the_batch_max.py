# expect: fail log_softmax, cross_entropy_from_logits
# whole-file
# what: (blind round 3) log_softmax subtracts X.max() -- the maximum of the whole batch, not of each row -- so a row far below the batch max underflows to exp(...) = 0 and log(0) = -inf; cross_entropy_from_logits uses it and goes inf on the same inputs; l2/l1/Huber are correct
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5)."""
import torch


def l2_penalty(w):
    """sum(w ** 2) / 2."""
    return torch.sum(w ** 2) / 2


def l1_loss(y_hat, y):
    """|y_hat - y| per example."""
    return torch.abs(y_hat - y.reshape(y_hat.shape))


def huber_loss(y_hat, y, delta=1.0):
    """Huber loss per example."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = torch.abs(r)
    return torch.where(abs_r <= delta, r ** 2 / 2, delta * (abs_r - delta / 2))


def log_softmax(X):
    """log-softmax with the LogSumExp trick."""
    c = X.max()
    return X - c - torch.log(torch.exp(X - c).sum(dim=1, keepdim=True))


def cross_entropy_from_logits(logits, y):
    """-log_softmax(logits)[i, y[i]]."""
    return -log_softmax(logits)[torch.arange(logits.shape[0]), y]
