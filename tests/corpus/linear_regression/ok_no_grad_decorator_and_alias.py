# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: @torch.no_grad() decorator on sgd, `import torch as T`, T.Tensor type hints, Tensor.index_select batches
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import random
from typing import Iterator, List, Tuple

import torch
import torch as T


def synthetic_data(w: T.Tensor, b: float, num_examples: int) -> Tuple[T.Tensor, T.Tensor]:
    """Generate y = Xw + b + noise.

    Args:
        w: weights, a tensor of shape (d,).
        b: the bias, a Python number.
        num_examples: n, how many examples to generate.

    Returns:
        (X, y): X of shape (n, d) drawn from N(0, 1), and y of shape (n, 1) with
        y = Xw + b + eps, eps ~ N(0, 0.01**2). X and y have w's dtype and device.
    """
    X = T.normal(0.0, 1.0, (num_examples, w.shape[0]), dtype=w.dtype, device=w.device)
    y = T.mv(X, w) + b
    y = y + T.normal(0.0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size: int, features: T.Tensor, labels: T.Tensor) -> Iterator[Tuple[T.Tensor, T.Tensor]]:
    """Iterate over (features, labels) in random minibatches.

    Args:
        batch_size: how many examples each minibatch holds.
        features: a tensor of shape (n, d).
        labels: a tensor of shape (n, 1) or (n,).

    Returns:
        An iterable of (X, y) pairs. Each example appears exactly once, in a fresh
        random order on every call. When batch_size does not divide n, the last
        batch is shorter: it is kept, not dropped.
    """
    n = features.shape[0]
    order = T.randperm(n, device=features.device)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        yield T.Tensor.index_select(features, 0, idx), labels.index_select(0, idx.to(labels.device))


def linreg(X: T.Tensor, w: T.Tensor, b: T.Tensor) -> T.Tensor:
    """The linear regression model.

    Args:
        X: inputs of shape (n, d).
        w: weights of shape (d, 1).
        b: the bias, of shape (1,).

    Returns:
        Predictions Xw + b, of shape (n, 1).
    """
    return T.matmul(X, w) + b


def squared_loss(y_hat: T.Tensor, y: T.Tensor) -> T.Tensor:
    """The squared loss of each example, not averaged.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).

    Returns:
        (y_hat - y)**2 / 2 for each example, of y_hat's shape (n, 1).
    """
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


@torch.no_grad()
def sgd(params: List[T.Tensor], lr: float, batch_size: int) -> None:
    """Minibatch stochastic gradient descent, in place.

    Args:
        params: a list of leaf tensors that require grad and hold gradients.
        lr: the learning rate.
        batch_size: how many examples the gradient was summed over.

    Each parameter becomes param - lr * param.grad / batch_size, without recording
    autograd history, and its gradient is then cleared for the next step.
    """
    for param in params:
        param.sub_(param.grad, alpha=lr / batch_size)
        param.grad.zero_()
