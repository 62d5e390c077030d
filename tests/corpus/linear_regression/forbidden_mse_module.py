# expect: fail squared_loss
"""nn.MSELoss created at import time, used inside the function."""
import torch
_loss = torch.nn.MSELoss(reduction="none")
def squared_loss(y_hat, y):
    return _loss(y_hat, y.reshape(y_hat.shape)) / 2
