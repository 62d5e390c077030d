# expect: full
# whole-file
# what: (blind round 3) accuracy returns a 0-dim tensor, not the Python float the docstring asks for; the count is right, so only the advisory check says so
# says: the docstring asks for a Python float
"""Softmax regression trained from scratch on images (d2l 3.6, the 0.17 function style)."""
import torch


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



def net(X, W, b):
    """softmax(X_flat W + b), shape (n, q)."""
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def accuracy(y_hat, y):
    """The number of correct predictions, as in d2l 0.17 (a Python float count)."""
    if y_hat.dim() > 1:
        y_hat = y_hat.argmax(dim=1)
    return (y_hat.type(y.dtype) == y).sum()


def evaluate_accuracy(W, b, data_iter):
    """Correct predictions over all examples / number of examples, a Python float."""
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += float(accuracy(net(X, W, b), y))
            total += len(y)
    return correct / total


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b, in place; returns (mean loss, accuracy)."""
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        loss_sum += float(l.sum())
        correct += float(accuracy(y_hat, y))
        total += len(y)
    return loss_sum / total, correct / total
