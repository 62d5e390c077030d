# expect: fail squared_loss
"""Reaches the MSE loss through getattr, which a text scan would miss."""
import torch
def squared_loss(y_hat, y):
    fn = getattr(torch.nn.functional, "mse" + "_loss")
    return fn(y_hat, y.reshape(y_hat.shape), reduction="none") / 2
