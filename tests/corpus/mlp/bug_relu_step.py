# expect: fail relu, hard_sigmoid, mlp
"""Returns the derivative of ReLU."""
def relu(X):
    return (X > 0).float()
