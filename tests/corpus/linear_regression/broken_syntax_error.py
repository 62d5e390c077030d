# expect: zero
# says: has a syntax error: expected ':'
# whole-file
"""A file that holds only linreg, with a syntax error: linreg is never defined, and nothing else is there."""
import torch
def linreg(X, w, b)
    return torch.matmul(X, w) + b
