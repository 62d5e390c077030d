# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: type hints, a frozen dataclass for the normal equations, torch.linalg.cholesky_ex followed by two torch.linalg.solve calls (plain solve if the factorisation fails), an `isinstance` guard, f-string error messages
"""Closed-form linear regression via a Cholesky factorisation of the normal equations.

Xb^T Xb is symmetric positive definite whenever Xb has full column rank, so it factors as
L L^T; then w solves L z = Xb^T y followed by L^T w = z (both with torch.linalg.solve).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class NormalEquations:
    """The system A w = c with A = Xb^T Xb and c = Xb^T y."""

    A: Tensor
    c: Tensor

    @classmethod
    def of(cls, Xb: Tensor, y: Tensor) -> "NormalEquations":
        return cls(A=Xb.mT @ Xb, c=Xb.mT @ y.reshape(-1, 1).to(Xb.dtype))

    def solve(self) -> Tensor:
        L, info = torch.linalg.cholesky_ex(self.A)
        if int(info) != 0:  # numerically not positive definite (badly conditioned): plain solve instead
            return torch.linalg.solve(self.A, self.c)
        z = torch.linalg.solve(L, self.c)
        return torch.linalg.solve(L.mT, z)


def absorb_bias(X: Tensor) -> Tensor:
    """Append a last column of ones, keeping X's dtype and device."""
    if not isinstance(X, torch.Tensor):
        raise TypeError(f"expected a tensor, got {type(X).__name__}")
    n: int = X.shape[0]
    return torch.cat((X, X.new_ones((n, 1))), dim=-1)


def analytic_solution(X: Tensor, y: Tensor) -> Tensor:
    """Least-squares weights (d weights, then the bias) as a (d + 1, 1) tensor."""
    Xb = absorb_bias(X)
    columns: int = Xb.shape[1]
    if int(torch.linalg.matrix_rank(Xb)) < columns:
        raise ValueError(f"rank-deficient design matrix: fewer than {columns} independent columns")
    return NormalEquations.of(Xb, y).solve()
