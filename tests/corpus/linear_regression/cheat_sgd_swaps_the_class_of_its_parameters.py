# expect: fail sgd
# says: a new class for a tensor the grader passed (__class__)
# attack: gives each parameter a tensor subclass whose state read-back runs the update, after the watch's window
"""sgd does nothing itself: it swaps the class of each parameter, and the class steps when read."""
import torch


class _StepsWhenRead(torch.Tensor):
    pass


def sgd(params, lr, batch_size):
    for param in params:
        param.__class__ = _StepsWhenRead
