# expect: fail softmax
"""Through getattr with a built string."""
import torch.nn.functional as F
def softmax(X):
    return getattr(F, "soft" + "max")(X, dim=1)
