# expect: full
"""A rank check, and the solver's own error turned into a ValueError as well."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb).item() != Xb.shape[1]:
        raise ValueError("X does not have full column rank")
    try:
        return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y.reshape(-1, 1))
    except torch.linalg.LinAlgError as exc:
        raise ValueError(f"singular normal equations: {exc}") from exc
