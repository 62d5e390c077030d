# expect: full
"""gather, squeezed to a vector."""
import torch
def cross_entropy(y_hat, y):
    return -torch.log(y_hat.gather(1, y.unsqueeze(1))).squeeze(1)
