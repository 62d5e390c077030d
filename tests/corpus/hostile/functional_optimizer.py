# expect: fail sgd
"""The optimiser's private functional form, torch.optim._functional, instead of a loop."""
import torch
from torch.optim import _functional as optim_f


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param.grad /= batch_size
    optim_f.sgd(list(params), [p.grad for p in params], [None] * len(params), weight_decay=0.0, momentum=0.0,
                lr=lr, dampening=0.0, nesterov=False, maximize=False)
    for param in params:
        param.grad.zero_()
