# expect: fail relu, hard_sigmoid, mlp
"""|x| instead of max(x, 0) (hard_sigmoid and mlp build on it)."""
def relu(X):
    return X.abs()
