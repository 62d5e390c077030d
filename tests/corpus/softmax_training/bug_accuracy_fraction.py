# expect: fail accuracy, evaluate_accuracy, train_epoch
"""Returns the fraction (d2l 1.0 habit) instead of the count."""
def accuracy(y_hat, y):
    return float((y_hat.argmax(axis=1) == y).float().mean()) if y_hat.dim() > 1 else float((y_hat == y).float().mean())
