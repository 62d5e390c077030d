# expect: fail cross_entropy
"""Takes the log of 1 - p."""
import torch
def cross_entropy(y_hat, y):
    return -torch.log(1 - y_hat[range(len(y_hat)), y])
