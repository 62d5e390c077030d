# expect: fail linreg
"""Rebuilds the output with torch.tensor, cutting the graph."""
import torch
def linreg(X, w, b):
    return torch.tensor((X @ w + b).tolist(), device=X.device)
