# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: cross_entropy as a custom torch.autograd.Function with a hand-written backward (-1/p at the true class), type hints, needs_input_grad, index tensors built on the input's device
"""Softmax and a cross-entropy whose gradient is written by hand: d(-log p_y)/dp = -1/p_y at y, 0 elsewhere."""
import torch
from torch import Tensor


def softmax(X: Tensor) -> Tensor:
    shifted = X - X.amax(dim=1, keepdim=True)
    e = shifted.exp()
    return e / e.sum(dim=1, keepdim=True)


class _PickNegLog(torch.autograd.Function):
    @staticmethod
    def forward(ctx, y_hat: Tensor, y: Tensor) -> Tensor:
        rows = torch.arange(y_hat.shape[0], device=y_hat.device)
        p = y_hat[rows, y]
        ctx.save_for_backward(p, rows, y)
        ctx.shape = y_hat.shape
        return -torch.log(p)

    @staticmethod
    def backward(ctx, g: Tensor):
        if not ctx.needs_input_grad[0]:
            return None, None
        p, rows, y = ctx.saved_tensors
        grad = torch.zeros(ctx.shape, dtype=g.dtype, device=g.device)
        grad[rows, y] = -g / p
        return grad, None


def cross_entropy(y_hat: Tensor, y: Tensor) -> Tensor:
    return _PickNegLog.apply(y_hat, y)
