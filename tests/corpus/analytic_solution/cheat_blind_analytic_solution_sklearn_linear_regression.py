# expect: fail analytic_solution
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: sklearn.linear_model.LinearRegression().fit gives coef_ and intercept_ (and rank_ for the ValueError); module and class names are assembled from a shuffled list of fragments
"""Linear regression in closed form: the normal equations (d2l 3.1.2, "Analytic Solution")."""
import torch
import importlib

import numpy as np


_PARTS = [(4, 'Linear'), (0, 'learn'), (2, 'sk'), (3, 'linear_'), (1, 'model'), (5, 'Regression')]


def _with_ones(X):
    """X with a last column of ones, by concatenation."""
    return torch.cat([X, torch.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)], dim=1)


def absorb_bias(X):
    """X with a column of ones appended, so that the bias becomes one more weight."""
    ones = torch.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)
    return torch.cat([X, ones], dim=1)


def analytic_solution(X, y):
    """The least-squares weights in closed form, with the bias absorbed into X."""
    parts = dict(_PARTS)
    mod = importlib.import_module(parts[2] + parts[0] + '.' + parts[3] + parts[1])
    model = getattr(mod, parts[4] + parts[5])()
    model.fit(X.detach().cpu().double().numpy(), y.detach().cpu().double().numpy().reshape(-1))
    if model.rank_ < X.shape[1]:  # rank of the centred X; Xb has full rank exactly when this is d
        raise ValueError("X with the ones column is rank-deficient: the least-squares weights are not unique")
    w = np.append(np.ravel(model.coef_), model.intercept_).reshape(-1, 1)
    return torch.from_numpy(w).to(dtype=X.dtype, device=X.device)
