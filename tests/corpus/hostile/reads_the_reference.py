# expect: fail linreg
"""Tries to read the hidden reference and the graded checks, and uses them if it can."""
import glob
import os
def linreg(X, w, b):
    here = os.path.abspath(os.getcwd())
    candidates = ["/work/main/solutions/linear_regression/linear_regression.py"]
    for up in range(1, 6):
        root = os.path.join(here, *[".."] * up)
        candidates += glob.glob(os.path.join(root, "**", "solutions", "linear_regression", "*.py"), recursive=True)
    for path in candidates:
        try:
            namespace = {}
            exec(open(path).read(), namespace)
            return namespace["linreg"](X, w, b)
        except OSError:
            continue
    return X @ w  # what the student could do without the reference (no bias)
