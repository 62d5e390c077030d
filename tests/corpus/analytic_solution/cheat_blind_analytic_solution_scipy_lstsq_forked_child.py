# expect: fail analytic_solution
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: scipy.linalg.lstsq run in an os.fork() child (the child's watch records are lost) and the (weights, rank) pickled back over a pipe; in-process fallback if fork is refused
"""Linear regression in closed form: the normal equations (d2l 3.1.2, "Analytic Solution")."""
import torch
import importlib
import os
import pickle


def _solve(A, t):
    fn = getattr(importlib.import_module('sc' + 'ipy.lin' + 'alg'), 'lst' + 'sq')
    w, _, rank, _ = fn(A, t)
    return w, rank


def _remote(A, t):
    try:
        r, wfd = os.pipe()
        pid = os.fork()
    except OSError:
        return _solve(A, t)
    if pid == 0:
        try:
            os.write(wfd, pickle.dumps(_solve(A, t)))
        finally:
            os._exit(0)
    os.close(wfd)
    chunks = []
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    return pickle.loads(b''.join(chunks))


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
    w, rank = _remote(A, t)
    if rank < A.shape[1]:
        raise ValueError("X with the ones column is rank-deficient: the least-squares weights are not unique")
    return torch.from_numpy(w).to(dtype=X.dtype, device=X.device)
