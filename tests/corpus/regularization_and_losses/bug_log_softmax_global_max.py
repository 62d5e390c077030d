# expect: fail log_softmax, cross_entropy_from_logits
"""Subtracts the largest entry of the whole matrix, not each row's: low rows underflow."""
def log_softmax(X):
    m = X.max()
    return X - m - torch.log(torch.exp(X - m).sum(1, keepdim=True))
