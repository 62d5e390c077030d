# expect: fail relu, hard_sigmoid, mlp
# says: torch.nn.functional.threshold
# what: relu as F.threshold(x, 0, 0), an equivalent no list of names would hold
import torch.nn.functional as F


def relu(X):
    return F.threshold(X, 0.0, 0.0)
