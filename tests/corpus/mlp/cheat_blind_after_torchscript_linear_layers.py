# expect: fail mlp
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: a TorchScript function: the two layers are torch.nn.functional.linear (ReLU by hand) compiled with torch.jit.script at import; calling a ScriptFunction never consults __torch_function__ modes, and at the aten level a linear layer is only t/addmm, the same kind of ops as X @ W + b
"""mlp: from-scratch solutions (d2l chapter 3)."""
import torch
import warnings


def _layers_src(x, w1, b1, w2, b2):
    lin = torch.nn.functional.linear
    h = lin(x, w1.t(), b1)
    h = h * (h > 0)
    return lin(h, w2.t(), b2)


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _layers = torch.jit.script(_layers_src)


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    return X * (X > 0)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    return 1 / (1 + torch.exp(-X))


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    up, down = X + 1, X - 1
    return (up * (up > 0) - down * (down > 0)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    return _layers(X.reshape((-1, W1.shape[0])), W1, b1, W2, b2)
