# expect: fail sigmoid
"""exp(x) instead of exp(−x)."""
def sigmoid(X):
    return 1 / (1 + torch.exp(X))
