# expect: fail linreg
"""Asks torch for 80 GB."""
import torch
def linreg(X, w, b):
    return torch.ones(10**10, 2, dtype=torch.float32) @ w
