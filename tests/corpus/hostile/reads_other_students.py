# expect: fail linreg
"""Looks for other students' files next to its own."""
import glob
import os
def linreg(X, w, b):
    for path in glob.glob("/tmp/**/linear_regression.py", recursive=True) + glob.glob("../*/linear_regression.py"):
        if os.path.abspath(path) != os.path.abspath("linear_regression.py"):
            namespace = {}
            exec(open(path).read(), namespace)
            return namespace["linreg"](X, w, b)
    return X @ w
