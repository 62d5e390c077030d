# expect: fail sgd
"""Wraps torch.optim.SGD instead of writing the update."""
import torch
def sgd(params, lr, batch_size):
    optimizer = torch.optim.SGD(params, lr=lr / batch_size)
    optimizer.step()
    optimizer.zero_grad()
