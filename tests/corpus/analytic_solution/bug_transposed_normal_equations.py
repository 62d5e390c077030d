# expect: fail analytic_solution
"""Multiplies in the wrong order: Xb Xbᵀ is (n, n), not the (d+1, d+1) normal matrix."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb) < Xb.shape[1]:
        raise ValueError("rank-deficient")
    return (torch.linalg.pinv(Xb @ Xb.T) @ y.reshape(-1, 1))[: Xb.shape[1]]
