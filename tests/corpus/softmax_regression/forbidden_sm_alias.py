# expect: fail softmax
"""An alias bound at import time."""
from torch.nn.functional import softmax as _ready_made
def softmax(X):
    return _ready_made(X, dim=1)
