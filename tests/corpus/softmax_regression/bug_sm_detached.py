# expect: fail softmax
"""Goes through numpy: right values, no gradient."""
import numpy as np
import torch
def softmax(X):
    e = np.exp(X.detach().cpu().numpy())
    return torch.from_numpy(e / e.sum(1, keepdims=True)).to(X.device)
