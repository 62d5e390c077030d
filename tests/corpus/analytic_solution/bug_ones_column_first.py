# expect: fail absorb_bias, analytic_solution
# whole-file
# what: (blind round 3) the ones column is prepended (the [1, x] convention of many textbooks) instead of appended, so absorb_bias puts it first and analytic_solution, which uses it, returns [b; w] instead of [w; b]; the rank check and solver are otherwise right.
"""Linear regression in closed form (d2l 3.1.2)."""
import torch


def absorb_bias(X):
    ones = torch.ones(len(X), 1, dtype=X.dtype, device=X.device)
    return torch.cat([ones, X], dim=1)


def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb) < Xb.shape[1]:
        raise ValueError("Xb is rank-deficient")
    return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y.reshape(-1, 1))
