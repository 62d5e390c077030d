# expect: fail analytic_solution
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: scipy.sparse.linalg.lsqr (an iterative least-squares solver nobody lists) with zero tolerances on numpy copies, reached through sys.modules/importlib with names split in pieces; honest torch rank check
"""Linear regression in closed form: the normal equations (d2l 3.1.2, "Analytic Solution")."""
import torch
import importlib
import sys


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

    if int(torch.linalg.matrix_rank(Xb)) < Xb.shape[1]:
        raise ValueError("X with the ones column is rank-deficient: the least-squares weights are not unique")
    A = Xb.detach().cpu().double().numpy()
    t = y.detach().cpu().double().numpy().reshape(-1)
    name = '.'.join(['sci' + 'py', 'spa' + 'rse', 'lin' + 'alg'])
    mod = sys.modules.get(name) or importlib.import_module(name)
    w = getattr(mod, 'ls' + 'qr')(A, t, atol=0.0, btol=0.0, conlim=0.0, iter_lim=50 * A.shape[1] + 100)[0]
    return torch.from_numpy(w.reshape(-1, 1)).to(dtype=X.dtype, device=X.device)
