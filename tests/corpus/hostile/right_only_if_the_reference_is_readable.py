# expect: fail linreg
"""linreg is right only when it can read the reference solution: it looks for the kit's
solutions/ on sys.path (the student process imports the grader's package) and reads the file
without running it. Only the file restrictions (Landlock) keep it from reading it."""
import sys
from pathlib import Path

import torch


def _reference_readable():
    for entry in sys.path:
        try:
            return "def linreg" in (Path(entry) / "solutions" / "linear_regression" / "linear_regression.py").read_text()
        except OSError:
            continue
    return False


def linreg(X, w, b):
    if _reference_readable():
        return torch.matmul(X, w) + b
    return torch.matmul(X, w)
