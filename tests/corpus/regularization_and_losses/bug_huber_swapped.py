# expect: fail huber_loss
"""Quadratic far away, linear near zero."""
def huber_loss(y_hat, y, delta=1.0):
    r = (y_hat - y.reshape(y_hat.shape)).abs()
    return torch.where(r > delta, r ** 2 / 2, delta * (r - delta / 2))
