# expect: full
"""(XᵀX)⁻¹Xᵀy computed literally: right answers (full marks), and advisory feedback about the inverse."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb) < Xb.shape[1]:
        raise ValueError("rank-deficient")
    return torch.linalg.inv(Xb.T @ Xb) @ Xb.T @ y.reshape(-1, 1)
