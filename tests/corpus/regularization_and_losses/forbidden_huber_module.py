# expect: fail huber_loss
"""nn.HuberLoss."""
def huber_loss(y_hat, y, delta=1.0):
    return torch.nn.HuberLoss(reduction="none", delta=delta)(y_hat, y.reshape(y_hat.shape))
