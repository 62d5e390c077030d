# expect: fail relu, hard_sigmoid, mlp
"""torch.relu (and everything built on it uses it too)."""
def relu(X):
    return torch.relu(X)
