# expect: fail cross_entropy_from_logits
# says: leave out .mean()
"""Averages the losses (d2l 1.0's habit)."""
def cross_entropy_from_logits(logits, y):
    return -log_softmax(logits)[range(len(logits)), y].mean()
