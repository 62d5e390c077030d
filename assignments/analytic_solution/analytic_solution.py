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

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("absorb_bias: not implemented yet")


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

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd),
    and solvers and factorisations of torch.linalg (solve, cholesky, qr, inv; not lstsq or
    pinv). Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's
    or scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("analytic_solution: not implemented yet")
