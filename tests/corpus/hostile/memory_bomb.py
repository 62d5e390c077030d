# expect: fail squared_loss
"""Allocates far more memory than the limit."""
def squared_loss(y_hat, y):
    hoard = []
    while True:
        hoard.append(bytearray(256 * 2**20))
