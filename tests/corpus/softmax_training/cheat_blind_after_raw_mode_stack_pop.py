# expect: fail train_epoch
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: emptying torch's mode stacks by hand: for the whole epoch every TorchFunctionMode and TorchDispatchMode is popped with the raw torch._C stack functions (names assembled at run time) and pushed back afterwards, so the loss (torch's nll_loss on log-probabilities) and the update (torch.optim.SGD) run unseen
"""softmax_training: from-scratch solutions (d2l chapter 3)."""
import torch
import contextlib
import importlib


@contextlib.contextmanager
def _bare():
    C = torch._C
    fn = lambda *parts: getattr(C, "_" + "_".join(parts))
    f_len, f_pop, f_push = fn("len", "torch", "function", "stack"), fn("pop", "torch", "function", "stack"), \
        fn("push", "on", "torch", "function", "stack")
    d_len, d_pop, d_push = fn("len", "torch", "dispatch", "stack"), fn("pop", "torch", "dispatch", "stack"), \
        fn("push", "on", "torch", "dispatch", "stack")
    f_saved = [f_pop() for _ in range(f_len())]
    d_saved = [d_pop(None) for _ in range(d_len())]
    try:
        yield
    finally:
        for m in reversed(d_saved):
            d_push(m)
        for m in reversed(f_saved):
            f_push(m)


def softmax(X):
    """Row-wise softmax (given)."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy of each example, not averaged (given)."""
    return -torch.log(y_hat[range(len(y_hat)), y])


def sgd(params, lr, batch_size):
    """Minibatch SGD, in place, dividing by batch_size (given)."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def _model(X, W, b):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def _correct(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def net(X, W, b):
    """The softmax regression model: softmax(X_flat W + b)."""
    return _model(X, W, b)


def accuracy(y_hat, y):
    """The number of correct predictions, as a Python float."""
    return _correct(y_hat, y)


def evaluate_accuracy(W, b, data_iter):
    """The accuracy of net(., W, b) over a whole dataset."""
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += _correct(_model(X, W, b), y)
            total += y.numel()
    return correct / total


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b, in place; returns (mean loss, accuracy)."""
    F = torch.nn.functional
    optim = importlib.import_module("torch." + "optim")
    loss_sum, correct, total = 0.0, 0.0, 0
    with _bare():
        for X, y in train_iter:
            y_hat = _model(X, W, b)
            l = getattr(F, "nll" + "_loss")(torch.log(y_hat), y, reduction="none")
            l.sum().backward()
            opt = getattr(optim, "S" + "GD")([W, b], lr=lr / len(y), foreach=False)
            opt.step()
            for p in (W, b):
                p.grad.zero_()
            loss_sum += float(l.detach().sum())
            correct += _correct(y_hat.detach(), y)
            total += y.numel()
    return loss_sum / total, correct / total
