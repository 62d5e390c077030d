# expect: zero
# whole-file
"""The untouched stub file."""
def softmax(X):
    raise NotImplementedError("softmax: not implemented yet")


def cross_entropy(y_hat, y):
    raise NotImplementedError("cross_entropy: not implemented yet")
