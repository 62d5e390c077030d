# expect: fail synthetic_data
"""Draws one column and repeats it: the features are not independent."""
import torch
def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, 1)).repeat(1, len(w))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))
