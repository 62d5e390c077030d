# expect: fail relu
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: aten::threshold(X, 0, 0) (what nn.Threshold/relu use) called via OpOverload.redispatch on an explicit {CPU, AutogradCPU} keyset, skipping the Python key so no mode sees it; autograd kept
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch


_OP = getattr(torch.ops.aten, 'dlohserht'[::-1]).default


def _keys(t):
    DK = torch._C.DispatchKey
    cuda = t.device.type == 'cuda'
    return torch._C.DispatchKeySet(DK.CUDA if cuda else DK.CPU).add(DK.AutogradCUDA if cuda else DK.AutogradCPU)


def _pos(X):
    """max(x, 0) with elementary ops (used by the functions below)."""
    return torch.max(X, torch.zeros_like(X))


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    return _OP.redispatch(_keys(X), X, 0.0, 0.0)


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
