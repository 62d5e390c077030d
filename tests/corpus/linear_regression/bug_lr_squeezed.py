# expect: fail linreg
"""Returns shape (n,) instead of (n, 1)."""
def linreg(X, w, b):
    return (X @ w + b).reshape(-1)
