# expect: fail hard_sigmoid
"""One ReLU only: never levels off at 1."""
def hard_sigmoid(X):
    return relu(X + 1) / 2
