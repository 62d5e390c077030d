# expect: full
"""Subtracts the row maximum (the stable form)."""
import torch
def softmax(X):
    shifted = X - X.max(dim=1, keepdim=True).values
    e = shifted.exp()
    return e / e.sum(dim=-1, keepdim=True)
