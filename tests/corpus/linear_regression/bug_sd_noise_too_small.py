# expect: fail synthetic_data
# says: check the scale you pass to torch.normal
"""Noise with standard deviation 0.001 instead of 0.01."""
import torch
def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.001, y.shape)
    return X, y.reshape((-1, 1))
