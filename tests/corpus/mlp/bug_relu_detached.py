# expect: fail relu, hard_sigmoid, mlp
"""Right values, built outside autograd's graph."""
def relu(X):
    out = X.detach().clone()
    out[out < 0] = 0
    return out
