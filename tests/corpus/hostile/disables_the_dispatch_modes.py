# expect: fail squared_loss
"""Pops torch's mode stack (where the grader's watch sits) before calling the ready-made loss."""
import torch
from torch.utils._python_dispatch import _disable_current_modes


def squared_loss(y_hat, y):
    with _disable_current_modes():
        return torch.nn.functional.mse_loss(y_hat, y.reshape(y_hat.shape), reduction="none") / 2
