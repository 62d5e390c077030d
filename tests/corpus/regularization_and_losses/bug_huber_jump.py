# expect: fail huber_loss
"""The linear part without −δ²/2: the loss jumps at |r| = δ."""
def huber_loss(y_hat, y, delta=1.0):
    r = (y_hat - y.reshape(y_hat.shape)).abs()
    return torch.where(r <= delta, r ** 2 / 2, delta * r)
