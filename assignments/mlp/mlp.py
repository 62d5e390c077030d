"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0).

    Args:
        X: a tensor of any shape.

    Returns:
        A tensor of X's shape. At exactly 0 the derivative is not defined; any value in
        [0, 1] is a valid choice (torch.relu uses 0, the book's torch.max(X, 0) gives 0.5).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("relu: not implemented yet")


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x)).

    Args:
        X: a tensor of any shape.

    Returns:
        A tensor of X's shape with values in (0, 1); sigmoid(0) = 0.5.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("sigmoid: not implemented yet")


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs.

    hard_sigmoid(x) = (relu(x + 1) - relu(x - 1)) / 2: 0 for x <= -1, 1 for x >= 1,
    and the line (x + 1) / 2 in between.

    Args:
        X: a tensor of any shape.

    Returns:
        A tensor of X's shape with values in [0, 1].

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("hard_sigmoid: not implemented yet")


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2.

    Args:
        X: inputs of shape (n, ...); each example is flattened to W1.shape[0] features.
        params: [W1, b1, W2, b2] with W1 of shape (d, h), b1 (h,), W2 (h, q), b2 (q,).

    Returns:
        The outputs, of shape (n, q).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("mlp: not implemented yet")
