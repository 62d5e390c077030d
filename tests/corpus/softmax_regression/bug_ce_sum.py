# expect: fail cross_entropy
# says: leave out .sum()
"""Sums the per-example losses instead of returning them."""
import torch


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y]).sum()
