# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: torch.special.softmax (name reversed) run in a threading.Thread so the thread-local function/dispatch modes miss it; an honest-looking max-subtraction runs first in the watched thread as a decoy
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style)."""
import torch
import threading


def softmax(X):
    """Row-wise softmax."""
    shifted = X - X.max(dim=1, keepdim=True).values
    box = {}
    grad_on = torch.is_grad_enabled()

    def run():
        with torch.set_grad_enabled(grad_on):
            box['p'] = getattr(torch.special, 'xamtfos'[::-1])(shifted, 1)
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return box['p']


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
