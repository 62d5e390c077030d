# expect: fail cross_entropy
"""log2 instead of the natural log."""
import torch
def cross_entropy(y_hat, y):
    return -torch.log2(y_hat[range(len(y_hat)), y])
