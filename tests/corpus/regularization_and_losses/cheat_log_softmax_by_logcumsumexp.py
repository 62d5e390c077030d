# expect: fail log_softmax, cross_entropy_from_logits
# says: Tensor.logcumsumexp
# what: the row's log-sum-exp read off the last column of logcumsumexp
def log_softmax(X):
    return X - X.logcumsumexp(dim=1)[:, -1:]
