# expect: fail analytic_solution
"""Solves with X itself: a line through the origin."""
def analytic_solution(X, y):
    if torch.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError("rank-deficient")
    return torch.linalg.solve(X.T @ X, X.T @ y.reshape(-1, 1))
