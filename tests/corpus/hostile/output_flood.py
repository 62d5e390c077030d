# expect: fail linreg
"""Prints far more than the output limit."""
def linreg(X, w, b):
    while True:
        print("spam " * 1000)
