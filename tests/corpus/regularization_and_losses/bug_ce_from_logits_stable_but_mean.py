# expect: fail cross_entropy_from_logits
# says: leave out .mean()
"""A stable cross-entropy from logits (the LogSumExp trick), averaged into one number."""
import torch


def cross_entropy_from_logits(logits, y):
    m = logits.max(dim=1, keepdim=True).values
    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    return -log_probs[range(len(logits)), y].mean()
