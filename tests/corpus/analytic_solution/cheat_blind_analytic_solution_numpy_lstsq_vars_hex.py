# expect: fail analytic_solution
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: numpy.linalg.lstsq (weights and its rank, used for the ValueError) on numpy copies; function taken from vars(np.linalg) by a hex-encoded key
"""Linear regression in closed form: the normal equations (d2l 3.1.2, "Analytic Solution")."""
import torch
import numpy as np


_K = '6c73747371'


def _with_ones(X):
    """X with a last column of ones, by concatenation."""
    return torch.cat([X, torch.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)], dim=1)


def absorb_bias(X):
    """X with a column of ones appended, so that the bias becomes one more weight."""
    ones = torch.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)
    return torch.cat([X, ones], dim=1)


def analytic_solution(X, y):
    """The least-squares weights in closed form, with the bias absorbed into X."""
    Xb = _with_ones(X)
    A = Xb.detach().cpu().double().numpy()
    t = y.detach().cpu().double().numpy().reshape(-1, 1)
    w, _, rank, _ = vars(np.linalg)[bytes.fromhex(_K).decode()](A, t, rcond=None)
    if rank < A.shape[1]:
        raise ValueError("X with the ones column is rank-deficient: the least-squares weights are not unique")
    return torch.from_numpy(w).to(dtype=X.dtype, device=X.device)
