# expect: full
# whole-file
# what: (blind round 3) code adapted back from d2l 1.0's class style: a SoftmaxRegressionScratch-like class with a static softmax method (called as _SoftmaxOps.softmax, our own attribute, not torch's) and a loss that is NOT averaged (1.0 averages; the 0.17 contract here does not); module functions delegate to it. Meets the contract, so full.
"""Softmax regression from scratch, ported back from the d2l 1.0 class API to the 0.17 functions."""
import torch


class _SoftmaxOps:
    """What SoftmaxRegressionScratch and its loss do in d2l 1.0, minus the nn.Module plumbing."""

    @staticmethod
    def softmax(X):
        X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values.detach())
        partition = X_exp.sum(1, keepdims=True)
        return X_exp / partition  # broadcasting over the columns

    @staticmethod
    def loss(y_hat, y, averaged=False):
        # d2l 1.0 returns the mean; this exercise follows 0.17 and wants one loss per example.
        l = -torch.log(y_hat[list(range(len(y_hat))), y])
        return l.mean() if averaged else l


def softmax(X):
    """Row-wise softmax.

    Args:
        X: logits of shape (n, q): one row per example, one column per class.

    Returns:
        A tensor of X's shape whose row i is exp(X[i]) / sum(exp(X[i])), so that
        every row is non-negative and sums to 1.
    """
    return _SoftmaxOps.softmax(X)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged.

    Args:
        y_hat: predicted probabilities of shape (n, q); each row sums to 1.
        y: the true classes, an int64 tensor of shape (n,) with values in [0, q).

    Returns:
        A tensor of shape (n,) whose entry i is -log(y_hat[i, y[i]]).
    """
    return _SoftmaxOps.loss(y_hat, y, averaged=False)


if __name__ == "__main__":
    X = torch.normal(0, 1, (2, 5))
    P = softmax(X)
    print(P, P.sum(1))
    print(cross_entropy(torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]), torch.tensor([0, 2])))
