# expect: full
"""arange indexing with a clamp against log(0)."""
import torch
def cross_entropy(y_hat, y):
    picked = y_hat[torch.arange(y_hat.shape[0], device=y_hat.device), y]
    return -torch.log(picked.clamp(min=1e-12))
