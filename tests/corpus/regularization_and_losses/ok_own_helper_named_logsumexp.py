# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: own helper named logsumexp (manual, max-shifted), Huber as 0.5*min(|r|,delta)^2 + delta*(|r| - min(|r|,delta)), l1 via maximum(r, -r), take_along_dim for the cross-entropy
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
    return (w ** 2).sum() * 0.5


def l1_loss(y_hat, y):
    """The absolute error of each example, not averaged.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).

    Returns:
        |y_hat - y| for each example, of y_hat's shape (n, 1).
    """
    r = y_hat - y.view(-1, 1) if y.dim() == 1 else y_hat - y
    return torch.maximum(r, -r)


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
    a = torch.abs(y_hat - y.reshape(y_hat.shape))
    inner = torch.clamp(a, max=delta)
    return 0.5 * inner ** 2 + delta * (a - inner)


def logsumexp(X, dim):
    """log(sum(exp(X))) along dim, keeping dim, shifted by the maximum so exp cannot overflow."""
    c = X.max(dim=dim, keepdim=True).values
    return c + torch.log(torch.exp(X - c).sum(dim=dim, keepdim=True))


def log_softmax(X):
    """Row-wise log-softmax, computed stably with the LogSumExp trick.

    Args:
        X: logits of shape (n, q), one row per example.

    Returns:
        A tensor of X's shape whose row i is X[i] - log(sum(exp(X[i]))). It must stay
        finite and correct for logits as large as +-1000: subtract each row's maximum
        before exponentiating.
    """
    c = X.max(dim=1, keepdim=True).values
    # (X - c) - log sum exp(X - c): the same as X - logsumexp(X), without adding c back and losing digits
    return (X - c) - logsumexp(X - c, dim=1)


def cross_entropy_from_logits(logits, y):
    """The cross-entropy of each example, from logits, not averaged.

    Args:
        logits: unnormalised scores of shape (n, q).
        y: the true classes, an int64 tensor of shape (n,) with values in [0, q).

    Returns:
        A tensor of shape (n,) whose entry i is -log_softmax(logits)[i, y[i]]: finite
        even for logits of +-1000.
    """
    lp = log_softmax(logits)
    return -torch.take_along_dim(lp, y[:, None], dim=1)[:, 0]
