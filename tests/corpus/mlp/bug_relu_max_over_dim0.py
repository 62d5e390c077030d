# expect: fail relu, mlp
# whole-file
# what: (blind round 3) relu is written as torch.max(X, 0), read literally from the docstring's "torch.max(X, 0)": that is a reduction over dim 0 returning (values, indices), not an elementwise max, so relu fails and mlp (which calls relu) fails; hard_sigmoid writes its two ReLUs as clamp(min=0) so it does not depend on the broken relu (it would fail too only if the grader requires hard_sigmoid to call relu), and sigmoid is fine
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch


def relu(X):
    """max(x, 0)."""
    return torch.max(X, 0)


def sigmoid(X):
    """1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + torch.exp(-X))


def hard_sigmoid(X):
    """(relu(x + 1) - relu(x - 1)) / 2, with each ReLU written as a clamp."""
    return (torch.clamp(X + 1, min=0) - torch.clamp(X - 1, min=0)) / 2


def mlp(X, params):
    """relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = relu(X @ W1 + b1)
    return H @ W2 + b2
