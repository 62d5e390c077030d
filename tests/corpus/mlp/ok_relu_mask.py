# expect: full
"""relu by a mask (gradient 0 at 0), the MLP with torch.matmul and an explicit flatten."""
def relu(X):
    return X * (X > 0)


def mlp(X, params):
    W1, b1, W2, b2 = params
    X = X.reshape(X.shape[0], -1)
    return torch.matmul(relu(torch.matmul(X, W1) + b1), W2) + b2
