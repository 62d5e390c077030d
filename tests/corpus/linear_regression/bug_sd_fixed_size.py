# expect: fail synthetic_data
"""Ignores num_examples and always makes the book's 1000."""
import torch
def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (1000, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))
