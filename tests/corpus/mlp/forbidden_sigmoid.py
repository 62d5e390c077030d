# expect: fail sigmoid
"""torch.sigmoid."""
def sigmoid(X):
    return torch.sigmoid(X)
