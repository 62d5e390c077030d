# expect: fail squared_loss
"""Keeps the GPU busy forever, one matrix product after another."""
import torch


def squared_loss(y_hat, y):
    if y_hat.is_cuda:
        x = torch.ones(2048, 2048, device=y_hat.device)
        while True:
            x = x @ x
            x = x / x.norm()
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
