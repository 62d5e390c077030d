# expect: fail absorb_bias
"""Ones always in float32: float64 X gets a float32 result... or fails to concatenate."""
def absorb_bias(X):
    return torch.cat([X, torch.ones(X.shape[0], 1, device=X.device)], dim=1).float()
