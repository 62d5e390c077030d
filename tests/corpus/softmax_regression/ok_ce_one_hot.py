# expect: full
"""A one-hot mask."""
import torch
import torch.nn.functional as F
def cross_entropy(y_hat, y):
    mask = F.one_hot(y, num_classes=y_hat.shape[1]).to(y_hat.dtype)
    return -(mask * torch.log(y_hat)).sum(dim=1)
