# expect: fail huber_loss
"""Always uses δ = 1."""
def huber_loss(y_hat, y, delta=1.0):
    r = (y_hat - y.reshape(y_hat.shape)).abs()
    return torch.where(r <= 1, r ** 2 / 2, r - 0.5)
