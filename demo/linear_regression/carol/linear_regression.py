"""Carol: a syntax error (a missing colon)."""
import torch


def linreg(X, w, b)
    return torch.matmul(X, w) + b
