# expect: fail softmax
"""Normalises by the sum of the whole matrix."""
import torch
def softmax(X):
    X_exp = torch.exp(X)
    return X_exp / X_exp.sum()
