# expect: fail analytic_solution
"""Swallows the solver's error and returns nan weights."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    try:
        return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y.reshape(-1, 1))
    except Exception:
        return torch.full((Xb.shape[1], 1), float("nan"))
