# expect: fail squared_loss
# says: leave out .sum()
"""Sums inside the loss."""
def squared_loss(y_hat, y):
    return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
