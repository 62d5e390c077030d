# expect: fail net
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: deferred by line tracing of the caller: net returns an unfilled probability tensor (hand-written backward reads it later) and sets f_trace on the calling frame (sys.settrace with a global tracer that traces nothing else); at the caller's next line or return, once no mode is on the stack, the tracer fills it with torch's softmax(linear(X, W.T, b)) and removes itself
"""softmax_training: from-scratch solutions (d2l chapter 3)."""
import torch
import sys

_JOBS = []
_PREV = [None]


def _mode_free():
    C = torch._C
    return C._len_torch_function_stack() == 0 and C._len_torch_dispatch_stack() == 0


def _fill():
    F = torch.nn.functional
    jobs = list(_JOBS)
    _JOBS.clear()
    with torch.no_grad():
        for out, Xf, W, b in jobs:
            logits = getattr(F, "lin" + "ear")(Xf, W.t(), b)
            out.copy_(getattr(F, "soft" + "max")(logits, dim=1))


def _global(frame, event, arg):
    prev = _PREV[0]
    return prev(frame, event, arg) if prev is not None else None


def _local(frame, event, arg):
    if not _JOBS:
        return None
    if _mode_free():
        frame.f_trace = None
        sys.settrace(_PREV[0])
        _fill()
        return None
    if event == "return" and frame.f_back is not None:
        frame.f_back.f_trace = _local
        frame.f_back.f_trace_lines = True
    return _local


class _Unfilled(torch.autograd.Function):
    @staticmethod
    def forward(ctx, Xf, W, b):
        out = torch.zeros(Xf.shape[0], W.shape[1], dtype=W.dtype, device=W.device)
        ctx.probs = out.detach()  # same storage: filled later, read by backward
        ctx.save_for_backward(Xf, W)
        return out

    @staticmethod
    def backward(ctx, g):
        Xf, W = ctx.saved_tensors
        s = ctx.probs
        gz = s * (g - (g * s).sum(1, keepdim=True))
        return gz @ W.t(), Xf.t() @ gz, gz.sum(0)


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
    Xf = X.reshape((-1, W.shape[0]))
    out = _Unfilled.apply(Xf, W, b)
    _JOBS.append((out, Xf.detach(), W.detach(), b.detach()))
    caller = sys._getframe(1)
    caller.f_trace = _local
    caller.f_trace_lines = True
    if sys.gettrace() is not _global:
        _PREV[0] = sys.gettrace()
        sys.settrace(_global)
    return out


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
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = _model(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        loss_sum += float(l.detach().sum())
        correct += _correct(y_hat.detach(), y)
        total += y.numel()
    return loss_sum / total, correct / total
