# expect: fail mlp
"""The ReLU on the output instead of the hidden layer."""
def mlp(X, params):
    W1, b1, W2, b2 = params
    return relu((X.reshape(-1, W1.shape[0]) @ W1 + b1) @ W2 + b2)
