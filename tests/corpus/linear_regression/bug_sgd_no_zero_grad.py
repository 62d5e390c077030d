# expect: fail sgd
"""Never clears the gradients, so they accumulate."""
import torch
def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
