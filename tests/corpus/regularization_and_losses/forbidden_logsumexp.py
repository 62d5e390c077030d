# expect: fail log_softmax, cross_entropy_from_logits
"""torch.logsumexp does the trick for you."""
def log_softmax(X):
    return X - torch.logsumexp(X, dim=1, keepdim=True)
