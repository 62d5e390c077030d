"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import random

import torch


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise.

    Args:
        w: weights, a tensor of shape (d,).
        b: the bias, a Python number.
        num_examples: n, how many examples to generate.

    Returns:
        (X, y): X of shape (n, d) drawn from N(0, 1), and y of shape (n, 1) with
        y = Xw + b + eps, eps ~ N(0, 0.01**2). X and y have w's dtype and device.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd),
    and moving tensors to numpy or Python lists (numpy(), tolist()). Ready-made versions (a
    torch loss, activation, layer, softmax or optimizer, numpy's or scipy's) get no points here;
    the grader checks what your code runs, whatever name reaches it.
    """
    raise NotImplementedError("synthetic_data: not implemented yet")


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches.

    Args:
        batch_size: how many examples each minibatch holds.
        features: a tensor of shape (n, d).
        labels: a tensor of shape (n, 1) or (n,).

    Returns:
        An iterable of (X, y) pairs. Each example appears exactly once, in a fresh
        random order on every call. When batch_size does not divide n, the last
        batch is shorter: it is kept, not dropped.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd),
    and moving tensors to numpy or Python lists (numpy(), tolist()). Ready-made versions (a
    torch loss, activation, layer, softmax or optimizer, numpy's or scipy's) get no points here;
    the grader checks what your code runs, whatever name reaches it.
    """
    raise NotImplementedError("data_iter: not implemented yet")


def linreg(X, w, b):
    """The linear regression model.

    Args:
        X: inputs of shape (n, d).
        w: weights of shape (d, 1).
        b: the bias, of shape (1,).

    Returns:
        Predictions Xw + b, of shape (n, 1).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("linreg: not implemented yet")


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged.

    Args:
        y_hat: predictions of shape (n, 1).
        y: targets of shape (n, 1) or (n,).

    Returns:
        (y_hat - y)**2 / 2 for each example, of y_hat's shape (n, 1).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("squared_loss: not implemented yet")


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place.

    Args:
        params: a list of leaf tensors that require grad and hold gradients.
        lr: the learning rate.
        batch_size: how many examples the gradient was summed over.

    Each parameter becomes param - lr * param.grad / batch_size, without recording
    autograd history, and its gradient is then cleared for the next step.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("sgd: not implemented yet")
