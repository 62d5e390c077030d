# expect: fail cross_entropy
# says: gather comes from community ports
"""The gather version (from community ports of the book) returns shape (n, 1)."""
import torch
def cross_entropy(y_hat, y):
    return -torch.log(y_hat.gather(1, y.view(-1, 1)))
