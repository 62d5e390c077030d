# expect: fail sigmoid
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: sigmoid(x) = d/dx F.softplus(x) taken with torch.autograd.grad(create_graph=True), so the values come out of softplus's ready-made backward; names split with join
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch


def _pos(X):
    """max(x, 0) with elementary ops (used by the functions below)."""
    return torch.max(X, torch.zeros_like(X))


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    a = torch.zeros_like(X)
    return torch.max(X, a)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    smooth = getattr(torch.nn.functional, ''.join(['soft', 'plus']))
    with torch.enable_grad():
        keep = X.requires_grad and torch.is_grad_enabled()
        Z = X if X.requires_grad else X.detach().requires_grad_()
        s, = torch.autograd.grad(smooth(Z).sum(), Z, create_graph=keep)
    return s if keep else s.detach()


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    return (_pos(X + 1) - _pos(X - 1)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = _pos(X @ W1 + b1)
    return H @ W2 + b2
