# expect: fail cross_entropy_from_logits
"""logits[:, y] takes every label's column for every row."""
def cross_entropy_from_logits(logits, y):
    return -log_softmax(logits)[:, y]
