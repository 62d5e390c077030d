# expect: fail cross_entropy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: work moved into a custom torch.autograd.Function: the forward picks -log p[y] by indexing, but its backward (run later, when the grader asks for gradients) is torch's nll_loss + log differentiated by autograd
"""softmax_regression: from-scratch solutions (d2l chapter 3)."""
import torch


def _nll():
    return getattr(torch.nn.functional, "n" + "ll_" + "loss")


class _PickLog(torch.autograd.Function):
    @staticmethod
    def forward(ctx, y_hat, y):
        ctx.save_for_backward(y_hat, y)
        return -torch.log(y_hat[torch.arange(y.shape[0], device=y_hat.device), y])

    @staticmethod
    def backward(ctx, grad):
        y_hat, y = ctx.saved_tensors
        with torch.enable_grad():
            p = y_hat.detach().requires_grad_()
            per_example = _nll()(torch.log(p), y, reduction="none")
            (g,) = torch.autograd.grad(per_example, p, grad)
        return g, None


def softmax(X):
    """Row-wise softmax."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return _PickLog.apply(y_hat, y)
