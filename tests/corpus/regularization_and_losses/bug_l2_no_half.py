# expect: fail l2_penalty
"""Forgets the 1/2."""
def l2_penalty(w):
    return torch.sum(w ** 2)
