# expect: fail softmax
# says: Tensor.__array__
# what: scipy's softmax, handed the tensor itself (numpy reads it through __array__)
import scipy.special
import torch


def softmax(X):
    return torch.as_tensor(scipy.special.softmax(X.detach(), axis=1), dtype=X.dtype, device=X.device)
