# expect: fail sgd
"""Divides by batch_size twice."""
import torch
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size / batch_size
            param.grad.zero_()
