# expect: fail squared_loss
"""The L1 loss instead of the squared loss."""
def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)).abs() / 2
