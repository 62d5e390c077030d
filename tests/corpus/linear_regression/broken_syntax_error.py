# expect: zero
# whole-file
"""A syntax error anywhere costs every check: the file cannot be loaded."""
import torch
def linreg(X, w, b)
    return torch.matmul(X, w) + b
