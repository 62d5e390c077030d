# expect: fail squared_loss
"""Writes the loss by hand on the first call only, then switches to the ready-made one: detection
must not rest on the first call of a check."""
import torch.nn.functional as F
_first = [True]


def squared_loss(y_hat, y):
    if _first[0]:
        _first[0] = False
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    return F.mse_loss(y_hat, y.reshape(y_hat.shape), reduction="none") / 2
