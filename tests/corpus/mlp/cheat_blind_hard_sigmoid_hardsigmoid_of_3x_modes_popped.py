# expect: fail hard_sigmoid
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: hard_sigmoid(x) = F.hardsigmoid(3x) (relu6(3x+3)/6); the 3x is a visible decoy, F.hardsigmoid (chr-coded name) runs under _disable_current_modes() + DisableTorchFunction
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch


_NAME = [104, 97, 114, 100, 115, 105, 103, 109, 111, 105, 100]


def _pos(X):
    """max(x, 0) with elementary ops (used by the functions below)."""
    return torch.max(X, torch.zeros_like(X))


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    a = torch.zeros_like(X)
    return torch.max(X, a)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    return 1 / (1 + torch.exp(-X))


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    Z = 3 * X
    from torch.utils import _python_dispatch as pd
    with torch._C.DisableTorchFunction(), pd._disable_current_modes():
        return getattr(torch.nn.functional, ''.join(map(chr, _NAME)))(Z)


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = _pos(X @ W1 + b1)
    return H @ W2 + b2
