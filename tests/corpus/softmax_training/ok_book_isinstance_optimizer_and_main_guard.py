# expect: full
# whole-file
# what: the book's isinstance(updater, torch.optim.Optimizer) in a helper, mp.freeze_support() under __main__, gc.collect() and a Colab check at the top
"""Softmax training from scratch, with the book's train_epoch_ch3 kept as a helper."""
import gc
import multiprocessing as mp
import sys

import torch

IN_COLAB = "google.colab" in sys.modules
gc.collect()


def softmax(X):
    X_exp = torch.exp(X - X.max(1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def net(X, W, b):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(W, b, data_iter):
    right, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            right += accuracy(net(X, W, b), y)
            total += y.numel()
    return right / total


def _step(updater, W, b, lr, batch_size):
    if isinstance(updater, torch.optim.Optimizer):  # the book's branch for the concise version
        updater.step()
    else:
        updater([W, b], lr, batch_size)


def train_epoch(W, b, train_iter, lr):
    total_loss, right, count = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        _step(sgd, W, b, lr, X.shape[0])
        total_loss += float(l.sum())
        right += accuracy(y_hat, y)
        count += y.numel()
    return total_loss / count, right / count


if __name__ == "__main__":
    mp.freeze_support()
    print(sys._getframe().f_code.co_name)  # never runs when graded
