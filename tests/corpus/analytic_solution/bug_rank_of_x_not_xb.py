# expect: fail analytic_solution
# whole-file
# says: expected a ValueError
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: checks the rank of X against d instead of Xb against d + 1: misses a constant feature (collinear with the bias) and n = d examples
"""Linear regression in closed form: the normal equations (d2l 3.1.2, "Analytic Solution").

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch


def absorb_bias(X):
    """X with a column of ones appended, so that the bias becomes one more weight.

    Args:
        X: features of shape (n, d).

    Returns:
        A tensor of shape (n, d + 1): X's columns, then a last column of ones, with X's
        dtype and device. Then X w + b equals absorb_bias(X) [w; b].
    """
    ones = torch.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)
    return torch.cat([X, ones], dim=1)


def analytic_solution(X, y):
    """The least-squares weights in closed form, with the bias absorbed into X.

    With Xb = absorb_bias(X), the weights minimising ||Xb w - y||^2 solve the normal
    equations Xb^T Xb w = Xb^T y, that is w* = (Xb^T Xb)^-1 Xb^T y. Solve them with a
    linear solver (torch.linalg.solve) rather than by forming the inverse.

    Args:
        X: features of shape (n, d).
        y: targets of shape (n,) or (n, 1).

    Returns:
        w of shape (d + 1, 1): the d weights, then the bias.

    Raises:
        ValueError: when Xb is rank-deficient (its columns are linearly dependent, as
            with two equal features or fewer than d + 1 examples): then Xb^T Xb is
            singular and the least-squares weights are not unique. Check the rank first,
            with torch.linalg.matrix_rank.
    """
    if torch.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError("X is rank-deficient")
    Xb = absorb_bias(X)
    y = y.reshape(-1, 1)
    return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y)
