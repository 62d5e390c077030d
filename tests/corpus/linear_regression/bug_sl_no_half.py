# expect: fail squared_loss
"""Forgot the 1/2."""
def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2
