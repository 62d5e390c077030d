# expect: fail squared_loss
"""Calls the ready-made loss through torch.ops.aten, below torch's Python functions."""
import torch


def squared_loss(y_hat, y):
    return torch.ops.aten.mse_loss.default(y_hat, y.reshape(y_hat.shape), 0) / 2
