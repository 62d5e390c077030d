# expect: full
"""relu by clamp (gradient 1 at 0), hard_sigmoid by clamp, sigmoid through tanh."""
def relu(X):
    return X.clamp(min=0)


def sigmoid(X):
    return (torch.tanh(X / 2) + 1) / 2


def hard_sigmoid(X):
    return ((X + 1) / 2).clamp(0, 1)
