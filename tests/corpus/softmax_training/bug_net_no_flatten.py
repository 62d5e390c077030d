# expect: fail net, train_epoch, evaluate_accuracy
"""Does not flatten the 8×8 images (the training checks use images too)."""
def net(X, W, b):
    return softmax(X @ W + b)
