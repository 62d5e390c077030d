# expect: fail synthetic_data
# says: where 0.01 is the standard deviation, not the variance
"""0.01 is the standard deviation; passing 0.01**2 makes it 1e-4."""
import torch
def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01 ** 2, y.shape)
    return X, y.reshape((-1, 1))
