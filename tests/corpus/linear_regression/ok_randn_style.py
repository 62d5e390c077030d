# expect: full
"""randn scaled, with dtype and device following w; noise added after the reshape."""
import torch
def synthetic_data(w, b, num_examples):
    X = torch.randn(num_examples, w.shape[0], dtype=w.dtype, device=w.device)
    y = (X @ w + b).reshape(-1, 1)
    y = y + 0.01 * torch.randn(num_examples, 1, dtype=w.dtype, device=w.device)
    return X, y
