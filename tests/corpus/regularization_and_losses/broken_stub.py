# expect: zero
# whole-file
"""The untouched stubs."""
def l2_penalty(w):
    raise NotImplementedError("l2_penalty: not implemented yet")


def l1_loss(y_hat, y):
    raise NotImplementedError("l1_loss: not implemented yet")


def huber_loss(y_hat, y, delta=1.0):
    raise NotImplementedError("huber_loss: not implemented yet")


def log_softmax(X):
    raise NotImplementedError("log_softmax: not implemented yet")


def cross_entropy_from_logits(logits, y):
    raise NotImplementedError("cross_entropy_from_logits: not implemented yet")
