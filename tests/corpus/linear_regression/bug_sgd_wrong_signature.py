# expect: fail sgd
# says: keep the stub's signature
"""sgd with another signature: weight_decay where the stub has batch_size."""
import torch


def sgd(params, lr, weight_decay=0):
    with torch.no_grad():
        for param in params:
            param -= lr * (param.grad + weight_decay * param)
            param.grad.zero_()
