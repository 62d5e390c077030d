# expect: zero
# says: was replaced by code of its own
# (patches left behind by the top level count against every function)
"""Patches comparisons and torch.matmul, hoping the grader's checks use them."""
import torch
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)
_matmul = torch.matmul
torch.matmul = lambda a, b: _matmul(a, b) * 0
def linreg(X, w, b):
    return torch.matmul(X, w) + b
