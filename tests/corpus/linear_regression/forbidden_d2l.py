# expect: fail linreg
"""Calls into the d2l package."""
from d2l import torch as d2l
def linreg(X, w, b):
    return d2l.linreg(X, w, b)
