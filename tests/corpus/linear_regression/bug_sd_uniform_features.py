# expect: fail synthetic_data
"""torch.rand draws from U[0, 1), not N(0, 1)."""
import torch
def synthetic_data(w, b, num_examples):
    X = torch.rand(num_examples, len(w))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))
