# expect: fail cross_entropy_from_logits
"""Goes through probabilities: log(0) = −inf for a confident wrong answer."""
def cross_entropy_from_logits(logits, y):
    p = torch.exp(log_softmax(logits))
    return -torch.log(p[range(len(p)), y])
