# expect: fail absorb_bias
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: sklearn.preprocessing.add_dummy_feature (prepends the ones column) on a numpy copy, rolled to put the ones last; names via importlib + str.swapcase of scrambled case
"""Linear regression in closed form: the normal equations (d2l 3.1.2, "Analytic Solution")."""
import torch
import importlib

import numpy as np


def _with_ones(X):
    """X with a last column of ones, by concatenation."""
    return torch.cat([X, torch.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)], dim=1)


def absorb_bias(X):
    """X with a column of ones appended, so that the bias becomes one more weight."""
    mod = importlib.import_module('SKLEARN.PREPROCESSING'.swapcase())
    arr = getattr(mod, 'ADD_DUMMY_FEATURE'.swapcase())(X.detach().cpu().numpy(), value=1.0)
    return torch.from_numpy(np.roll(arr, -1, axis=1).copy()).to(dtype=X.dtype, device=X.device)


def analytic_solution(X, y):
    """The least-squares weights in closed form, with the bias absorbed into X."""
    Xb = _with_ones(X)
    if int(torch.linalg.matrix_rank(Xb)) < Xb.shape[1]:
        raise ValueError("X with the ones column is rank-deficient: the least-squares weights are not unique")
    y = y.reshape(-1, 1).to(Xb.dtype)
    return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y)
