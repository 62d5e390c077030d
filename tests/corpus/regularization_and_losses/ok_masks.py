# expect: full
"""Huber with float masks instead of torch.where."""
def huber_loss(y_hat, y, delta=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    small = (r.abs() <= delta).to(r.dtype)
    return small * r ** 2 / 2 + (1 - small) * delta * (r.abs() - delta / 2)
