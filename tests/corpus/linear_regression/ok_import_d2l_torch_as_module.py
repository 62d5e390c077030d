# expect: full
# whole-file
"""`import d2l.torch as d2l`, with d2l's aliases and its Accumulator."""
import random
import torch
import d2l.torch as d2l


def synthetic_data(w, b, num_examples):
    X = d2l.normal(0, 1, (num_examples, len(w)))
    y = d2l.matmul(X, w) + b
    y += d2l.normal(0, 0.01, y.shape)
    return X, d2l.reshape(y, (-1, 1))


def data_iter(batch_size, features, labels):
    indices = list(range(len(features)))
    random.shuffle(indices)
    for i in range(0, len(features), batch_size):
        batch = d2l.tensor(indices[i: min(i + batch_size, len(features))])
        yield features[batch], labels[batch]


def linreg(X, w, b):
    return d2l.matmul(X, w) + b


def squared_loss(y_hat, y):
    total = d2l.Accumulator(1)
    total.add(0.0)
    return (y_hat - d2l.reshape(y, y_hat.shape)) ** 2 / 2 + total[0]


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
