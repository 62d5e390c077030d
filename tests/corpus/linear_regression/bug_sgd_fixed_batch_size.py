# expect: fail sgd
"""Divides by the book's fixed batch size instead of the argument."""
import torch
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / 10
            param.grad.zero_()
