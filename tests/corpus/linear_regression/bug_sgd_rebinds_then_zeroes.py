# expect: fail sgd
# says: only rebinds the loop's name
# what: param = param - ... makes a new tensor; its .grad is None, so param.grad.zero_() raises
import torch


def sgd(params, lr, batch_size):
    for param in params:
        param = param - lr * param.grad / batch_size
        param.grad.zero_()
