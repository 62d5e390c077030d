# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: stable LogSumExp lse = m + log(sum(exp(X - m))) but then X - lse: adding m back and subtracting it again costs float32 digits (error ~3e-5 at |X| = 1000, public test fails); cross_entropy computes its own form
"""Weight decay, robust losses and a numerically stable cross-entropy (d2l 3.7 and 4.5).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch


def l2_penalty(w):
    """The L2 penalty of weight decay, as in the book.

    Args:
        w: a weight tensor of any shape.

    Returns:
        A scalar tensor (shape ()), the sum of w's squared entries divided by 2:
        sum(w ** 2) / 2. Not averaged over the entries.
    """
    return torch.sum(w.pow(2)) / 2


def l1_loss(y_hat, y):
    """The absolute error of each example, not averaged.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).

    Returns:
        |y_hat - y| for each example, of y_hat's shape (n, 1).
    """
    return torch.abs(y_hat - y.reshape(y_hat.shape))


def huber_loss(y_hat, y, delta=1.0):
    """The Huber loss of each example, not averaged.

    With r = y_hat - y, the loss is r**2 / 2 where |r| <= delta, and
    delta * (|r| - delta / 2) elsewhere: quadratic near 0, linear far away, and
    continuous with a continuous slope at |r| = delta.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).
        delta: where the loss turns from quadratic to linear, a positive number.

    Returns:
        The loss of each example, of y_hat's shape (n, 1).
    """
    r = y_hat - y.reshape(y_hat.shape)
    a = torch.abs(r)
    return torch.where(a <= delta, r ** 2 / 2, delta * (a - delta / 2))


def log_softmax(X):
    """Row-wise log-softmax, computed stably with the LogSumExp trick.

    Args:
        X: logits of shape (n, q), one row per example.

    Returns:
        A tensor of X's shape whose row i is X[i] - log(sum(exp(X[i]))). It must stay
        finite and correct for logits as large as +-1000: subtract each row's maximum
        before exponentiating.
    """
    m = X.max(dim=1, keepdim=True).values
    lse = m + torch.log(torch.exp(X - m).sum(dim=1, keepdim=True))
    return X - lse


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged.

    Args:
        logits: unnormalised scores of shape (n, q).
        y: the true classes, an int64 tensor of shape (n,) with values in [0, q).

    Returns:
        A tensor of shape (n,) whose entry i is -log_softmax(logits)[i, y[i]]: finite
        even for logits of +-1000.
    """
    # stable on its own: shift by the row maximum, then log-sum-exp minus the true class's logit
    m = logits.max(dim=1, keepdim=True).values
    z = logits - m
    lse = torch.log(torch.exp(z).sum(dim=1))
    return lse - z.gather(1, y.reshape(-1, 1)).reshape(-1)
