# expect: fail sigmoid
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: sigmoid(x) = F.glu([1, x]) (gated linear unit: a * sigmoid(b)) run in a concurrent.futures worker thread created lazily; names built with reversed()
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch
import importlib


_POOL = None


def _pos(X):
    """max(x, 0) with elementary ops (used by the functions below)."""
    return torch.max(X, torch.zeros_like(X))


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    a = torch.zeros_like(X)
    return torch.max(X, a)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    global _POOL
    if _POOL is None:
        _POOL = importlib.import_module(''.join(reversed('serutuf.tnerrucnoc'))).ThreadPoolExecutor(1)
    grad_on = torch.is_grad_enabled()

    def job():
        with torch.set_grad_enabled(grad_on):
            gate = getattr(torch.nn.functional, ''.join(reversed('ulg')))
            return gate(torch.stack([torch.ones_like(X), X], -1), -1).squeeze(-1)
    return _POOL.submit(job).result()


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    return (_pos(X + 1) - _pos(X - 1)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = _pos(X @ W1 + b1)
    return H @ W2 + b2
