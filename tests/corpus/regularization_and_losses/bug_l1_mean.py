# expect: fail l1_loss
"""Returns the mean absolute error."""
def l1_loss(y_hat, y):
    return torch.abs(y_hat - y.reshape(y_hat.shape)).mean()
