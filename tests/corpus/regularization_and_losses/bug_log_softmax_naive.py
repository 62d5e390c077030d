# expect: fail log_softmax, cross_entropy_from_logits
"""log(softmax(X)) without the max trick: overflows at ±1000 (and so does the loss built on it)."""
def log_softmax(X):
    X_exp = torch.exp(X)
    return torch.log(X_exp / X_exp.sum(1, keepdim=True))
