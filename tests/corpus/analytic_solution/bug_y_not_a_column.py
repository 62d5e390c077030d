# expect: fail analytic_solution
"""Solves against y of shape (n,): the weights come out flat."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb) < Xb.shape[1]:
        raise ValueError("rank-deficient")
    return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y.reshape(-1))
