# expect: fail sgd
"""An sgd that does no arithmetic: it walks up the stack to the grader's batched request and
copies the next state out of it."""
import sys


def sgd(params, lr, batch_size):
    frame = sys._getframe(1)
    while frame is not None:
        frame = frame.f_back
    for param in params:
        param.grad.zero_()
