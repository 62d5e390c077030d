# expect: full
# whole-file
# what: the book's top level binds loss = nn.MSELoss(), features/labels from d2l.synthetic_data and net; the graded functions take parameters and locals of the same names
"""Linear regression, with a demo at the top level whose names the functions' parameters reuse."""
import random

import torch
from torch import nn
from d2l import torch as d2l

true_w, true_b = torch.tensor([2, -3.4]), 4.2
features, labels = d2l.synthetic_data(true_w, true_b, 1000)
loss = nn.MSELoss()
net = nn.Linear(2, 1)
print("a ready-made loss at the top level is nobody's:", float(loss(net(features), labels)))


def synthetic_data(w, b, num_examples):
    features = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    labels = torch.matmul(features, w) + b
    labels += torch.normal(0, 0.01, labels.shape, dtype=w.dtype, device=w.device)
    return features, labels.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch = torch.tensor(indices[i:min(i + batch_size, num_examples)], device=features.device)
        yield features[batch], labels[batch]


def linreg(X, w, b):
    net = torch.matmul(X, w) + b
    return net


def squared_loss(y_hat, y):
    loss = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    return loss


def sgd(params, lr, batch_size):
    gc = 0  # a local that happens to share a module's name
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
            gc += 1
