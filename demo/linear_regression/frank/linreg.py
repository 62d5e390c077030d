"""Frank: submitted under the wrong file name."""
import torch


def linreg(X, w, b):
    return torch.matmul(X, w) + b
