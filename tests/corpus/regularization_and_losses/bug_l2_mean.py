# expect: fail l2_penalty
"""Averages the squares instead of summing them."""
def l2_penalty(w):
    return (w ** 2).mean() / 2
