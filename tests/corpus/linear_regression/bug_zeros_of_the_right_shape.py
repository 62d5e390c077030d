# expect: zero
# whole-file
"""Does nothing, but returns zeros of the right shapes everywhere: shapes and leaf-ness alone earn nothing."""
import torch
def synthetic_data(w, b, num_examples):
    return torch.zeros(num_examples, len(w), dtype=w.dtype, device=w.device), torch.zeros(num_examples, 1, dtype=w.dtype, device=w.device)
def data_iter(batch_size, features, labels):
    n = len(features)
    for i in range(0, n, batch_size):
        m = min(batch_size, n - i)
        yield torch.zeros(m, features.shape[1]), torch.zeros(m, *labels.shape[1:])
def linreg(X, w, b):
    return torch.zeros(X.shape[0], 1)
def squared_loss(y_hat, y):
    return torch.zeros_like(y_hat)
def sgd(params, lr, batch_size):
    pass
