# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: custom torch.autograd.Function classes for ReLU and sigmoid with hand-written backward passes, type hints, ctx.save_for_backward
"""Activations as autograd Functions with their derivatives written by hand.

relu'(x) = 1 for x > 0 and 0 otherwise (0 at x = 0, like torch);
sigmoid'(x) = s (1 - s) with s = sigmoid(x).
"""
from typing import List

import torch
from torch import Tensor


class _ReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X: Tensor) -> Tensor:
        positive = X > 0
        ctx.save_for_backward(positive)
        return torch.where(positive, X, torch.zeros_like(X))

    @staticmethod
    def backward(ctx, grad_out: Tensor) -> Tensor:
        (positive,) = ctx.saved_tensors
        return grad_out * positive.to(grad_out.dtype)


class _Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X: Tensor) -> Tensor:
        # e^x / (1 + e^x) with both terms scaled by e^-m, m = max(x, 0): then x - m = min(x, 0),
        # and neither exponent is ever positive (no overflow, and finite at x = +-inf too)
        zero = torch.zeros_like(X)
        num = torch.exp(torch.minimum(X, zero))
        s = num / (torch.exp(-torch.maximum(X, zero)) + num)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad_out: Tensor) -> Tensor:
        (s,) = ctx.saved_tensors
        return grad_out * s * (1 - s)


def relu(X: Tensor) -> Tensor:
    return _ReLU.apply(X)


def sigmoid(X: Tensor) -> Tensor:
    return _Sigmoid.apply(X)


def hard_sigmoid(X: Tensor) -> Tensor:
    return (relu(X + 1) - relu(X - 1)) / 2


def mlp(X: Tensor, params: List[Tensor]) -> Tensor:
    W1, b1, W2, b2 = params
    H = relu(X.reshape(-1, W1.shape[0]) @ W1 + b1)
    return H @ W2 + b2
