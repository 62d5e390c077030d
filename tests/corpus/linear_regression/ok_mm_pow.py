# expect: full
"""torch.mm and torch.pow."""
import torch
def linreg(X, w, b):
    return torch.mm(X, w).add(b)

def squared_loss(y_hat, y):
    return torch.pow(y_hat - y.reshape(-1, 1), 2) / 2
