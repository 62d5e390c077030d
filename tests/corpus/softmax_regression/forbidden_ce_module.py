# expect: fail cross_entropy
"""nn.NLLLoss created at import time."""
import torch
_nll = torch.nn.NLLLoss(reduction="none")
def cross_entropy(y_hat, y):
    return _nll(torch.log(y_hat), y)
