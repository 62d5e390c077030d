# expect: full
"""@ for the product, view_as and 0.5 * for the loss."""
def linreg(X, w, b):
    return X @ w + b

def squared_loss(y_hat, y):
    return 0.5 * (y_hat - y.view_as(y_hat)) ** 2
