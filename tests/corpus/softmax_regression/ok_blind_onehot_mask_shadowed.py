# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: cross-entropy through a one-hot mask built by comparison (no indexing), locals named `sys`, `inspect`, `gc`, dtype = getattr(torch, DTYPE) for a top-level demo, numpy only under __main__
"""Softmax and cross-entropy, the latter via a one-hot mask: -log(sum_j [j == y] p_j)."""
import gc
import inspect
import sys

import torch

DTYPE = "float64"
dtype = getattr(torch, DTYPE)


def softmax(X):
    sys = X.max(dim=1, keepdim=True).values  # the shift, not the module
    inspect = torch.exp(X - sys)
    gc = inspect.sum(dim=1, keepdim=True)
    return inspect / gc


def cross_entropy(y_hat, y):
    classes = torch.arange(y_hat.shape[1], device=y_hat.device)
    one_hot = (y.reshape(-1, 1) == classes).to(y_hat.dtype)  # (n, q) of 0/1
    return -torch.log((y_hat * one_hot).sum(dim=1))


_demo = softmax(torch.tensor([[0.0, 1.0, 2.0]], dtype=dtype))
assert inspect.isfunction(cross_entropy) and abs(float(_demo.sum()) - 1) < 1e-12
gc.collect()

if __name__ == "__main__":
    import numpy as np

    p = softmax(torch.randn(3, 4, dtype=dtype))
    print(np.round(p.numpy(), 3), cross_entropy(p, torch.tensor([0, 1, 3])))
    print(sys.version)
