# expect: fail cross_entropy
"""nll_loss on the log-probabilities."""
import torch
import torch.nn.functional as F
def cross_entropy(y_hat, y):
    return F.nll_loss(torch.log(y_hat), y, reduction="none")
