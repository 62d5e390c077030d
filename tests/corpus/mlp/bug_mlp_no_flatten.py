# expect: fail mlp
"""Forgets to flatten image-shaped inputs."""
def mlp(X, params):
    W1, b1, W2, b2 = params
    return relu(X @ W1 + b1) @ W2 + b2
