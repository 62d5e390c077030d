# expect: fail squared_loss
"""An unlisted cousin of the ready-made loss: Huber's loss with a huge delta is (ŷ − y)²/2."""
import torch.nn.functional as F


def squared_loss(y_hat, y):
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), reduction="none", delta=1e9)
