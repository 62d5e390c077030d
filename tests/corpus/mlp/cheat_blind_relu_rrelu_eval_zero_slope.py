# expect: fail relu
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: relu(x) = F.rrelu(x, lower=0, upper=0, training=False), i.e. a leaky ReLU with slope 0 (aten leaky_relu, an activation few would list for relu); name from a reversed string
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch


def _pos(X):
    """max(x, 0) with elementary ops (used by the functions below)."""
    return torch.max(X, torch.zeros_like(X))


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    leaky = getattr(torch.nn.functional, 'ulerr'[::-1])
    return leaky(X, 0.0, 0.0, False) + 0.0


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    return 1 / (1 + torch.exp(-X))


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    return (_pos(X + 1) - _pos(X - 1)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = _pos(X @ W1 + b1)
    return H @ W2 + b2
