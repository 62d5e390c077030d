# expect: fail synthetic_data
"""Keeps 512 MiB of GPU memory from every call of synthetic_data, and never gives it back."""
import torch

_kept = []


def synthetic_data(w, b, num_examples):
    if w.is_cuda:
        _kept.append(torch.ones(2**27, device=w.device))
    X = torch.normal(0, 1, (num_examples, len(w)), device=w.device)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape, device=w.device)
    return X, y.reshape((-1, 1))
