# expect: fail analytic_solution
"""The pseudo-inverse, and no rank check either."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    return torch.linalg.pinv(Xb) @ y.reshape(-1, 1)
