# expect: full
"""add_ with alpha, and zeroing through grad.zero_()."""
import torch
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for p in params:
            p.add_(p.grad, alpha=-lr / batch_size)
    for p in params:
        p.grad.zero_()
