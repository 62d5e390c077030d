# expect: fail mlp
"""b1 enters through .data: no gradient reaches it."""
def mlp(X, params):
    W1, b1, W2, b2 = params
    return relu(X.reshape(-1, W1.shape[0]) @ W1 + b1.data) @ W2 + b2
