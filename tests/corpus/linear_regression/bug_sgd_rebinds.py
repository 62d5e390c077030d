# expect: fail sgd
"""`param = param - ...` rebinds a local name; nothing changes."""
import torch
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param = param - lr * param.grad / batch_size
    for param in params:
        param.grad.zero_()
