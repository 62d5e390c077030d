# expect: fail cross_entropy
"""d2l 0.14's gather version returns shape (n, 1)."""
import torch
def cross_entropy(y_hat, y):
    return -torch.log(y_hat.gather(1, y.view(-1, 1)))
