# expect: fail cross_entropy
"""Forgot the minus sign."""
import torch
def cross_entropy(y_hat, y):
    return torch.log(y_hat[range(len(y_hat)), y])
