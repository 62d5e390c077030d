# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: `d2l = sys.modules[__name__]` as in the d2l package source with functions calling each other through `d2l.`, gc.collect(), torch.multiprocessing.set_sharing_strategy("file_system"), mp.freeze_support() under __main__
"""Linear regression from scratch, laid out like the d2l package source (d2l/torch.py)."""
import sys
d2l = sys.modules[__name__]

import gc
import random

import torch
import torch.multiprocessing as mp

torch.multiprocessing.set_sharing_strategy("file_system")


def synthetic_data(w, b, num_examples):  #@save
    """Generate y = Xw + b + noise.

    Defined in :numref:`sec_utils`"""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = d2l.matmul(X, w) + b
    y += d2l.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, d2l.reshape(y, (-1, 1))


def data_iter(batch_size, features, labels):
    """Minibatches in a fresh random order."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        j = torch.tensor(indices[i:i + batch_size])
        yield features[j], labels[j]


def linreg(X, w, b):  #@save
    """The linear regression model.

    Defined in :numref:`sec_utils`"""
    return d2l.matmul(X, w) + b


def squared_loss(y_hat, y):  #@save
    """Squared loss.

    Defined in :numref:`sec_utils`"""
    return (y_hat - d2l.reshape(y, y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):  #@save
    """Minibatch stochastic gradient descent.

    Defined in :numref:`sec_utils`"""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


# the d2l package's aliases for tensor functions
matmul = torch.matmul
normal = torch.normal
reshape = lambda x, *args, **kwargs: x.reshape(*args, **kwargs)

gc.collect()


def main():
    true_w, true_b = torch.tensor([2, -3.4]), 4.2
    features, labels = d2l.synthetic_data(true_w, true_b, 1000)
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for epoch in range(3):
        for X, y in d2l.data_iter(10, features, labels):
            d2l.squared_loss(d2l.linreg(X, w, b), y).sum().backward()
            d2l.sgd([w, b], 0.03, 10)
        with torch.no_grad():
            print(f"epoch {epoch + 1}, loss {float(d2l.squared_loss(d2l.linreg(features, w, b), labels).mean()):f}")
        gc.collect()


if __name__ == "__main__":
    mp.freeze_support()
    main()
