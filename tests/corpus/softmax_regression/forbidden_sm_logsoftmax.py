# expect: fail softmax
"""exp of log_softmax."""
import torch
def softmax(X):
    return torch.log_softmax(X, dim=1).exp()
