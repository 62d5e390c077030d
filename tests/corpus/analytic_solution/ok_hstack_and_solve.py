# expect: full
"""torch.hstack for the ones, a rank test through the singular values."""
def absorb_bias(X):
    return torch.hstack([X, torch.ones_like(X[:, :1])])


def analytic_solution(X, y):
    Xb = absorb_bias(X)
    s = torch.linalg.svdvals(Xb)
    if Xb.shape[0] < Xb.shape[1] or s.min() <= s.max() * max(Xb.shape) * torch.finfo(Xb.dtype).eps:
        raise ValueError("the columns of X are linearly dependent")
    A, b = Xb.T @ Xb, Xb.T @ y.reshape(-1, 1)
    return torch.linalg.solve(A, b)
