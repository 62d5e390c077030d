# expect: fail l2_penalty
# says: 2 times the reference's
# what: l2_penalty without / 2: values and gradient twice the reference's, nothing detached
import torch


def l2_penalty(w):
    return torch.sum(w.pow(2))
