# expect: fail linreg
# says: more than the grader takes (64 MB, limits.reply_mb)
"""linreg sends back 400 MB on every call, to hold the grading process's memory: the grader reads the
reply's size first and refuses it before reading it, and only linreg pays."""
import torch


def linreg(X, w, b):
    return torch.zeros(100_000_000)
