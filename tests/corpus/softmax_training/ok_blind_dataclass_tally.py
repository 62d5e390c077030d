# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: a dataclass running tally with type hints, @torch.no_grad() on evaluate_accuracy, an @dataclass(frozen=True) batch record, asserts on shapes, f-string __str__ with tensors
"""Softmax regression training with a small dataclass that keeps the running sums."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Tuple

import torch
from torch import Tensor


def softmax(X):
    """Row-wise softmax (given)."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy of each example, not averaged (given)."""
    return -torch.log(y_hat[range(len(y_hat)), y])


def sgd(params, lr, batch_size):
    """Minibatch SGD, in place, dividing by batch_size (given)."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


@dataclass(frozen=True)
class Batch:
    X: Tensor
    y: Tensor

    def __str__(self) -> str:
        return f"Batch(X {tuple(self.X.shape)}, y {self.y.tolist()[:5]}...)"


@dataclass
class Tally:
    loss_sum: float = 0.0
    correct: float = 0.0
    count: int = 0

    def add(self, loss_sum: float, correct: float, count: int) -> None:
        self.loss_sum += loss_sum
        self.correct += correct
        self.count += count

    @property
    def mean_loss(self) -> float:
        return self.loss_sum / self.count

    @property
    def accuracy(self) -> float:
        return self.correct / self.count


def net(X: Tensor, W: Tensor, b: Tensor) -> Tensor:
    flat = X.reshape(X.shape[0], W.shape[0])
    out = softmax(flat @ W + b)
    assert out.shape == (X.shape[0], W.shape[1])
    return out


def accuracy(y_hat: Tensor, y: Tensor) -> float:
    predicted = y_hat.argmax(dim=1) if y_hat.dim() > 1 and y_hat.shape[1] > 1 else y_hat.reshape(-1)
    return float((predicted.to(y.dtype) == y).sum())


@torch.no_grad()
def evaluate_accuracy(W: Tensor, b: Tensor, data_iter: Iterable[Tuple[Tensor, Tensor]]) -> float:
    tally = Tally()
    for X, y in data_iter:
        tally.add(0.0, accuracy(net(X, W, b), y), y.numel())
    return tally.accuracy


def train_epoch(W: Tensor, b: Tensor, train_iter: Iterable[Tuple[Tensor, Tensor]], lr: float) -> Tuple[float, float]:
    tally = Tally()
    for X, y in train_iter:
        batch = Batch(X, y)
        y_hat = net(batch.X, W, b)
        l = cross_entropy(y_hat, batch.y)
        l.sum().backward()
        sgd([W, b], lr, len(batch.y))
        tally.add(l.detach().sum().item(), accuracy(y_hat.detach(), batch.y), batch.y.numel())
    return tally.mean_loss, tally.accuracy
