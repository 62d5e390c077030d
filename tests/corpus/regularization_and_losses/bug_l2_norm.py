# expect: fail l2_penalty
"""The norm, not its square."""
def l2_penalty(w):
    return torch.sqrt(torch.sum(w ** 2)) / 2
