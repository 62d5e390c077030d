# expect: fail analytic_solution
"""torch.linalg.lstsq does all the work."""
def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb) < Xb.shape[1]:
        raise ValueError("rank-deficient")
    return torch.linalg.lstsq(Xb, y.reshape(-1, 1)).solution
