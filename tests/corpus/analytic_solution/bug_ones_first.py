# expect: fail absorb_bias, analytic_solution
"""Prepends the ones: the bias comes out first, not last."""
def absorb_bias(X):
    return torch.cat([torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device), X], dim=1)
