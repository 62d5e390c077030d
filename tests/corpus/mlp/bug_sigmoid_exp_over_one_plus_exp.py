# expect: fail sigmoid
# whole-file
# says: inf / inf is nan
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: sigmoid as exp(x) / (1 + exp(x)): exp overflows to inf for x > ~88 in float32 and gives inf/inf = nan
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
    """
    a = torch.zeros_like(X)
    return torch.max(X, a)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x)).

    Args:
        X: a tensor of any shape.

    Returns:
        A tensor of X's shape with values in (0, 1); sigmoid(0) = 0.5.
    """
    e = torch.exp(X)
    return e / (1 + e)


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs.

    hard_sigmoid(x) = (relu(x + 1) - relu(x - 1)) / 2: 0 for x <= -1, 1 for x >= 1,
    and the line (x + 1) / 2 in between.

    Args:
        X: a tensor of any shape.

    Returns:
        A tensor of X's shape with values in [0, 1].
    """
    return (relu(X + 1) - relu(X - 1)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2.

    Args:
        X: inputs of shape (n, ...); each example is flattened to W1.shape[0] features.
        params: [W1, b1, W2, b2] with W1 of shape (d, h), b1 (h,), W2 (h, q), b2 (q,).

    Returns:
        The outputs, of shape (n, q).
    """
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = relu(X @ W1 + b1)  # Here '@' stands for matrix multiplication
    return (H @ W2 + b2)
