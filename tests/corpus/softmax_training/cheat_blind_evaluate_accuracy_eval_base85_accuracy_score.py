# expect: fail evaluate_accuracy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: collects all predictions, then sklearn.metrics.accuracy_score(normalize=True) evaluated from a base85-encoded expression with eval()
"""Softmax regression trained from scratch on images (d2l 3.6, the 0.17 function style)."""
import torch
import base64


_EXPR = b'Utei$aBp&SUtcIEb8Bp6VRCLRZDn+FX=8IIEFflbZ*6R8b96mhCtoLBDK24SV|8+2V|ib5V{dY0D0D0!a4aBhZ*py6Y-xIBJyddaWhn'


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
    preds, labels = [], []
    with torch.no_grad():
        for X, y in data_iter:
            preds.append(_probs(X, W, b).argmax(dim=1))
            labels.append(y)
    t = torch.cat(labels).cpu().numpy()
    p = torch.cat(preds).cpu().numpy().astype(t.dtype)
    return float(eval(base64.b85decode(_EXPR).decode(), {'t': t, 'p': p}))


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b (leaf tensors that require grad), in place."""
    loss_sum, correct, n = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = _probs(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        loss_sum += float(l.detach().sum())
        correct += _hits(y_hat, y)
        n += y.numel()
    return loss_sum / n, correct / n
