# expect: fail sigmoid
# whole-file
# what: (blind round 3) sigmoid via tanh is right in value, but it shifts and halves tanh's output in place (add_/mul_); tanh saves its output for backward, so backward raises "modified by an inplace operation" -- sigmoid's gradients fail; the other functions do not use sigmoid
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch


def relu(X):
    """max(x, 0)."""
    return torch.where(X > 0, X, 0.0)


def sigmoid(X):
    """(1 + tanh(x / 2)) / 2, without allocating extra tensors."""
    out = torch.tanh(X / 2)
    out.add_(1).mul_(0.5)
    return out


def hard_sigmoid(X):
    """(relu(x + 1) - relu(x - 1)) / 2."""
    return (relu(X + 1) - relu(X - 1)) / 2


def mlp(X, params):
    """relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    return relu(X.reshape(-1, W1.shape[0]) @ W1 + b1) @ W2 + b2
