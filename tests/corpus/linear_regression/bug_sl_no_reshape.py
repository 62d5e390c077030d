# expect: fail squared_loss
"""Without the reshape, (n,) - (n, 1) broadcasts to (n, n)."""
def squared_loss(y_hat, y):
    return (y_hat - y) ** 2 / 2
