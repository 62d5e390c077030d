# expect: fail cross_entropy
# says: leave out .mean()
"""d2l 1.0's cross_entropy returns the mean."""
import torch
def cross_entropy(y_hat, y):
    return -torch.log(y_hat[list(range(len(y_hat))), y]).mean()
