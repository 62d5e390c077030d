# expect: zero
# whole-file
"""Imports a package that is not installed."""
import torch
import numpyy
def linreg(X, w, b):
    return torch.matmul(X, w) + b
