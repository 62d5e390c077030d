# expect: fail linreg
"""linreg writes 3 MB straight to its output with os.write, around the call server's print limit,
to fill the grader's disk or memory; then returns the right answer. Only the kernel's file size
limit (RLIMIT_FSIZE) stops the write, and the OSError it raises costs linreg its checks."""
import os

import torch


def linreg(X, w, b):
    os.write(1, b"x" * 3_000_000)
    return torch.matmul(X, w) + b
