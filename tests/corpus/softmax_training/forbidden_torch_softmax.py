# expect: fail net, train_epoch, evaluate_accuracy
"""torch.softmax in net (and so in everything that calls net)."""
def net(X, W, b):
    return torch.softmax(X.reshape(-1, W.shape[0]) @ W + b, dim=1)
