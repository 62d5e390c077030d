# expect: fail log_softmax, cross_entropy_from_logits
"""The row sums lose their column shape and broadcast along the wrong axis."""
def log_softmax(X):
    m = X.max(dim=1, keepdim=True).values
    return X - m - torch.log(torch.exp(X - m).sum(1))
