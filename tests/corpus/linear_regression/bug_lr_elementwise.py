# expect: fail linreg
"""An elementwise product instead of a matrix product."""
def linreg(X, w, b):
    return X * w.T + b
