# expect: fail l1_loss
"""Subtracts a (n,) y from a (n, 1) y_hat: broadcasts to (n, n)."""
def l1_loss(y_hat, y):
    return torch.abs(y_hat - y)
