# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: `d2l = sys.modules[__name__]` with functions calling each other through `d2l.`, gc.collect(), torch.multiprocessing.set_sharing_strategy("file_system"), a scikit-learn digits demo with mp.freeze_support() only under __main__
"""Softmax regression training, laid out like the d2l package source."""
import sys
d2l = sys.modules[__name__]

import gc

import torch
import torch.multiprocessing as mp

torch.multiprocessing.set_sharing_strategy("file_system")


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
    return d2l.softmax(d2l.reshape(X, (-1, W.shape[0])) @ W + b)


def accuracy(y_hat, y):  #@save
    """Compute the number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = d2l.argmax(y_hat, axis=1)
    cmp = d2l.astype(y_hat, y.dtype) == y
    return float(d2l.reduce_sum(d2l.astype(cmp, y.dtype)))


def evaluate_accuracy(W, b, data_iter):
    correct, seen = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += d2l.accuracy(d2l.net(X, W, b), y)
            seen += y.numel()
    return correct / seen


def train_epoch(W, b, train_iter, lr):
    loss_sum, correct, seen = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = d2l.net(X, W, b)
        l = d2l.cross_entropy(y_hat, y)
        l.sum().backward()
        d2l.sgd([W, b], lr, len(y))
        loss_sum += float(l.detach().sum())
        correct += d2l.accuracy(y_hat, y)
        seen += y.numel()
    return loss_sum / seen, correct / seen


# the d2l package's tensor aliases
argmax = lambda x, *args, **kwargs: x.argmax(*args, **kwargs)  # noqa: E731
astype = lambda x, *args, **kwargs: x.type(*args, **kwargs)  # noqa: E731
reduce_sum = lambda x, *args, **kwargs: x.sum(*args, **kwargs)  # noqa: E731
reshape = lambda x, *args, **kwargs: x.reshape(*args, **kwargs)  # noqa: E731

gc.collect()


def main():
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = torch.tensor(digits.images, dtype=torch.float32) / 16
    y = torch.tensor(digits.target)
    W = torch.normal(0, 0.01, (64, 10), requires_grad=True)
    b = torch.zeros(10, requires_grad=True)
    for epoch in range(10):
        perm = torch.randperm(1500)
        batches = [(X[perm[i:i + 50]], y[perm[i:i + 50]]) for i in range(0, 1500, 50)]
        l, acc = d2l.train_epoch(W, b, batches, 0.5)
        test_acc = d2l.evaluate_accuracy(W, b, [(X[1500:], y[1500:])])
        print(f"epoch {epoch + 1}: loss {l:.3f}, train acc {acc:.3f}, test acc {test_acc:.3f}")
        gc.collect()


if __name__ == "__main__":
    mp.freeze_support()
    main()
