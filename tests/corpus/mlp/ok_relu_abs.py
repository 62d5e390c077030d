# expect: full
"""relu as (x + |x|) / 2 (gradient 1/2 at 0); a numerically stable sigmoid."""
def relu(X):
    return (X + X.abs()) / 2


def sigmoid(X):
    e = torch.exp(-X.abs())
    return torch.where(X >= 0, 1 / (1 + e), e / (1 + e))
