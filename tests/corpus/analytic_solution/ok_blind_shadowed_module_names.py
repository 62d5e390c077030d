# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: locals named `inspect`, `sys`, `gc`, `math` that shadow imported modules; a print of a tensor inside the graded function; nested helper closures
"""Normal equations, written while experimenting: some local names shadow modules on purpose
(old habit from a numerics course where `inspect` meant "look at the matrix")."""
import gc
import inspect
import math
import sys

import torch


def absorb_bias(X):
    # `sys` here is just "the system matrix" being built, not the module
    sys = [X, torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device)]
    return torch.cat(sys, 1)


def analytic_solution(X, y):
    Xb = absorb_bias(X)

    def inspect(matrix):
        # local helper, shadows the inspect module: how many independent columns?
        return int(torch.linalg.matrix_rank(matrix))

    gc = inspect(Xb)  # "good columns"
    math = Xb.shape[1]
    print(f"analytic_solution: rank {gc} of {math} columns")
    if gc != math:
        raise ValueError(f"Xb is rank-deficient ({gc} < {math}); the normal equations are singular")
    sys = Xb.T @ Xb
    rhs = Xb.T @ y.reshape(-1, 1)
    return torch.linalg.solve(sys, rhs)


# module-level names still refer to the modules
assert inspect.isfunction(analytic_solution) and callable(gc.collect) and math.pi > 3 and sys.version_info >= (3,)
