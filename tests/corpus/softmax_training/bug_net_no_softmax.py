# expect: fail net, train_epoch, evaluate_accuracy
"""Returns raw scores: the cross-entropy then takes logs of non-probabilities."""
def net(X, W, b):
    return X.reshape(-1, W.shape[0]) @ W + b
