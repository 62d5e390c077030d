# expect: fail train_epoch
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: each step uses F.cross_entropy(logits, reduction='sum') and torch.optim.SGD(lr/len(y)) (step.__wrapped__), all under DisableTorchFunction + excluded Python dispatch key; a visible honest softmax for the accuracy count is the decoy
"""Softmax regression trained from scratch on images (d2l 3.6, the 0.17 function style)."""
import torch
import contextlib


@contextlib.contextmanager
def _quiet():
    C = torch._C
    with getattr(C, 'Disable' + 'TorchFunction')(), \
            C._ExcludeDispatchKeyGuard(C.DispatchKeySet(C.DispatchKey.Python)):
        yield


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


def _probs(X, W, b):
    """softmax(X_flat W + b) with elementary ops (shared by the functions below)."""
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def _hits(y_hat, y):
    """How many predictions equal y, as a Python float."""
    if y_hat.dim() > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    return float((y_hat.type(y.dtype) == y).type(y.dtype).sum())


def net(X, W, b):
    """The softmax regression model."""
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def accuracy(y_hat, y):
    """The number of correct predictions, as in d2l 0.17."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(W, b, data_iter):
    """The accuracy of net(., W, b) over a whole dataset."""
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += _hits(_probs(X, W, b), y)
            total += y.numel()
    return correct / total


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b (leaf tensors that require grad), in place."""
    loss_sum, correct, n = 0.0, 0.0, 0
    nn = torch.nn
    for X, y in train_iter:
        with torch.no_grad():
            correct += _hits(_probs(X, W, b), y)
        with _quiet():
            logits = torch.matmul(X.reshape((-1, W.shape[0])), W) + b
            l = getattr(nn.functional, 'cross_' + 'entropy')(logits, y, reduction='sum')
            l.backward()
            opt = getattr(torch.optim, 'S' + 'GD')([W, b], lr=lr / len(y))
            getattr(type(opt).step, '__wrapped__', type(opt).step)(opt)
            opt.zero_grad(set_to_none=False)
        loss_sum += float(l.detach())
        n += y.numel()
    return loss_sum / n, correct / n
