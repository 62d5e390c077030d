# expect: full
"""Cholesky factorisation of XᵀX, rank checked through the factorisation's diagonal... and matrix_rank."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb) < Xb.shape[1]:
        raise ValueError("rank-deficient X")
    L = torch.linalg.cholesky(Xb.T @ Xb)
    return torch.cholesky_solve(Xb.T @ y.reshape(-1, 1), L)
