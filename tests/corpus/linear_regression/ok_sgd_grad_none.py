# expect: full
"""Sets the gradient to None instead of zeroing it, under the no_grad decorator."""
import torch
@torch.no_grad()
def sgd(params, lr, batch_size):
    step = lr / batch_size
    for p in params:
        p.sub_(step * p.grad)
        p.grad = None
