# expect: fail squared_loss
"""Hides the import of the ready-made loss and of the mode stack in strings, for eval()."""
import torch


def squared_loss(y_hat, y):
    modes = eval("__im" + "port__('torch.utils._python" + "_dispatch', fromlist=['x'])")
    with modes._disable_current_modes():
        loss = getattr(torch.nn.functional, "mse" + "_loss")
        return loss(y_hat, y.reshape(y_hat.shape), reduction="none") / 2
