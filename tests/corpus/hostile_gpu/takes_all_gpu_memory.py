# expect: fail linreg
"""Asks the GPU for all its memory, a gigabyte at a time, whenever linreg runs there."""
import torch


def linreg(X, w, b):
    if X.is_cuda:
        hoard = []
        while True:
            hoard.append(torch.empty(2**28, device=X.device))
    return torch.matmul(X, w) + b
