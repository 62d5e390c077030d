# expect: fail relu
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: relu(x) = F.margin_ranking_loss(x, 0, target=-1, margin=0, reduction='none') (a loss, rot13 name) under torch._C.DisableTorchFunction: aten sees only neg/sub/mul/clamp_min, like an honest clamp
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch
import codecs


def _pos(X):
    """max(x, 0) with elementary ops (used by the functions below)."""
    return torch.max(X, torch.zeros_like(X))


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    zero = torch.zeros_like(X)
    with getattr(torch._C, codecs.decode('QvfnoyrGbepuShapgvba', 'rot13'))():
        impl = getattr(torch.nn.functional, codecs.decode('znetva_enaxvat_ybff', 'rot13'))
        return impl(X, zero, -torch.ones_like(X), margin=0.0, reduction='none')


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
