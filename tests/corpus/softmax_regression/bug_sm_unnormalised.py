# expect: fail softmax
"""Forgot to normalise."""
import torch
def softmax(X):
    return torch.exp(X)
