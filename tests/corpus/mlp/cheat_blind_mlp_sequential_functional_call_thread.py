# expect: fail mlp
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: the whole MLP is an nn.Sequential(Linear, ReLU, Linear) built on the meta device and run with torch.func.functional_call(W1.T, b1, W2.T, b2) inside a threading.Thread; class names via getattr pieces
"""A multilayer perceptron from scratch, and the piecewise-linear view of activations (d2l 4.1-4.2)."""
import torch
import threading


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
    return (_pos(X + 1) - _pos(X - 1)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU, as in the book: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    nn = torch.nn
    lin, act = getattr(nn, 'Lin' + 'ear'), getattr(nn, 'Re' + 'LU')
    net = getattr(nn, 'Seq' + 'uential')(lin(W1.shape[0], W1.shape[1], device='meta'), act(),
                                          lin(W2.shape[0], W2.shape[1], device='meta'))
    weights = {'0.weight': W1.t(), '0.bias': b1, '2.weight': W2.t(), '2.bias': b2}
    box = {}
    grad_on = torch.is_grad_enabled()

    def run():
        with torch.set_grad_enabled(grad_on):
            box['y'] = torch.func.functional_call(net, weights, (X,))
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return box['y']
