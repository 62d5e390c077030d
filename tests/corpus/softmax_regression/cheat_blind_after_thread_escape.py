# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: work on another thread: torch's softmax runs in a short-lived threading.Thread, where the caller's thread-local TorchFunctionMode/TorchDispatchMode stacks do not exist; the result is handed back and wrapped in a Function with a hand-written backward
"""softmax_regression: from-scratch solutions (d2l chapter 3)."""
import torch
import threading


class _Rows(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        box = {}

        def work(x=X.detach()):
            box["p"] = getattr(torch, "soft" + "max")(x, 1)

        t = threading.Thread(target=work)
        t.start()
        t.join()
        p = box["p"]
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, g):
        (p,) = ctx.saved_tensors
        return p * (g - (g * p).sum(1, keepdim=True))


def softmax(X):
    """Row-wise softmax."""
    return _Rows.apply(X)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
