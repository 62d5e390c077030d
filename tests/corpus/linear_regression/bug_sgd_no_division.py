# expect: fail sgd
"""d2l 1.0's sgd does not divide by batch_size (its loss is a mean)."""
import torch
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad
            param.grad.zero_()
