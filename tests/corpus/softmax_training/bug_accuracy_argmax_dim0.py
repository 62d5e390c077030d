# expect: fail accuracy, evaluate_accuracy, train_epoch
"""argmax over the examples instead of the classes."""
def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=0)
    return float((y_hat.type(y.dtype) == y).sum())
