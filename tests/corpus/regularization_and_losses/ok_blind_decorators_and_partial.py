# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: a functools.wraps decorator that turns residual functions into (y_hat, y) losses, functools.partial(torch.pow, exponent=2), type hints, a Huber loss written as min(|r|, delta) * (|r| - min(|r|, delta) / 2)
"""Losses written as functions of the residual r = y_hat - y, lifted by a decorator."""
from __future__ import annotations

import functools
from typing import Callable

import torch
from torch import Tensor

square: Callable[[Tensor], Tensor] = functools.partial(torch.pow, exponent=2)


def residual_loss(fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """loss(y_hat, y, *extra) = fn(y_hat - y, *extra), with y reshaped to y_hat's shape first."""

    @functools.wraps(fn)
    def wrapper(y_hat: Tensor, y: Tensor, *args, **kwargs) -> Tensor:
        return fn(y_hat - y.reshape(y_hat.shape), *args, **kwargs)

    return wrapper


def l2_penalty(w: Tensor) -> Tensor:
    return square(w).sum() / 2


@residual_loss
def l1_loss(r: Tensor) -> Tensor:
    return r.abs()


@residual_loss
def huber_loss(r: Tensor, delta: float = 1.0) -> Tensor:
    a = r.abs()
    q = torch.minimum(a, torch.full_like(a, delta))  # |r| inside the band, delta outside
    # inside: |r| (|r| - |r|/2) = r^2/2;  outside: delta (|r| - delta/2)
    return q * (a - q / 2)


def log_softmax(X: Tensor) -> Tensor:
    shifted = X - X.amax(dim=1, keepdim=True)
    return shifted - shifted.exp().sum(dim=1, keepdim=True).log()


def cross_entropy_from_logits(logits: Tensor, y: Tensor) -> Tensor:
    rows = torch.arange(logits.shape[0], device=logits.device)
    return -log_softmax(logits)[rows, y]
