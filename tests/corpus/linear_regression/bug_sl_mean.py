# expect: fail squared_loss
"""Averages inside the loss (d2l 1.0 style) while sgd also divides."""
def squared_loss(y_hat, y):
    return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).mean()
