# expect: fail sgd
"""An sgd that does no arithmetic: it searches the garbage collector for the grader's request."""
import gc


def sgd(params, lr, batch_size):
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "__each__" in obj:
            break
    for param in params:
        param.grad.zero_()
