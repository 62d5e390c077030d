# expect: fail analytic_solution
"""No rank check: on dependent columns the solver fails or returns huge weights."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y.reshape(-1, 1))
