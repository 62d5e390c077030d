# expect: fail hard_sigmoid
"""Forgets to halve: goes from 0 to 2."""
def hard_sigmoid(X):
    return relu(X + 1) - relu(X - 1)
