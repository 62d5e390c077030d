# expect: full
# what: honest uses of getattr with a constant name, a tensor's class read (not set), and type(x).__name__: none is a tampering tool
"""Correct code that reads names at run time in the ordinary ways."""
import torch


def synthetic_data(w, b, num_examples):
    dtype = getattr(torch, "float64") if w.dtype == torch.float64 else w.dtype
    assert isinstance(w, w.__class__) and type(w).__name__ == "Tensor"
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape, dtype=dtype, device=w.device)
    return X, y.reshape((-1, 1))


def linreg(X, w, b):
    matmul = getattr(torch, "matmul")
    return matmul(X, w) + b
