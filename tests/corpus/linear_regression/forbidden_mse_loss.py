# expect: fail squared_loss
"""Uses the ready-made MSE loss."""
import torch.nn.functional as F
def squared_loss(y_hat, y):
    return F.mse_loss(y_hat, y.reshape(y_hat.shape), reduction="none") / 2
