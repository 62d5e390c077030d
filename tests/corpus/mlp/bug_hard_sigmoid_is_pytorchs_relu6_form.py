# expect: fail hard_sigmoid
# whole-file
# what: (blind round 3) hard_sigmoid uses the PyTorch/MobileNet definition relu6(x + 3) / 6 = clamp(x/6 + 1/2, 0, 1) (written by hand, no forbidden API) instead of the contract's (relu(x+1) - relu(x-1)) / 2: same at 0 but wrong slope and knees; the rest is correct
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch


def relu(X):
    """max(x, 0)."""
    return torch.maximum(X, torch.zeros_like(X))


def sigmoid(X):
    """1 / (1 + exp(-x))."""
    return torch.exp(-torch.logaddexp(torch.zeros_like(X), -X))


def hard_sigmoid(X):
    """A piecewise-linear sigmoid: relu6(x + 3) / 6."""
    return torch.clamp(X + 3, 0, 6) / 6


def mlp(X, params):
    """relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape(-1, W1.shape[0])
    return relu(X @ W1 + b1) @ W2 + b2
