# expect: zero
# whole-file
"""Every function is just `pass`."""
def synthetic_data(w, b, num_examples):
    pass
def data_iter(batch_size, features, labels):
    pass
def linreg(X, w, b):
    pass
def squared_loss(y_hat, y):
    pass
def sgd(params, lr, batch_size):
    pass
