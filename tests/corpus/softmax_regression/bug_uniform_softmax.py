# expect: fail softmax
"""Returns the uniform distribution: the right shape, rows summing to 1, but nothing computed."""
import torch


def softmax(X):
    return torch.ones_like(X) / X.shape[1]
