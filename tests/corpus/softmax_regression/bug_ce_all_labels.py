# expect: fail cross_entropy
"""y_hat[:, y] takes every label's column for every row."""
import torch
def cross_entropy(y_hat, y):
    return -torch.log(y_hat[:, y])
