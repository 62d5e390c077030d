# expect: fail linreg
"""Forgot the return statement."""
import torch
def linreg(X, w, b):
    torch.matmul(X, w) + b
