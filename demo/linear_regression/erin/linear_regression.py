"""Erin: correct results, but sgd and squared_loss use torch's ready-made versions."""
import random

import torch
import torch.nn.functional as F


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    indices = list(range(len(features)))
    random.shuffle(indices)
    for i in range(0, len(indices), batch_size):
        batch = torch.tensor(indices[i: i + batch_size])
        yield features[batch], labels[batch]


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return F.mse_loss(y_hat, y.reshape(y_hat.shape), reduction="none") / 2


def sgd(params, lr, batch_size):
    optimizer = torch.optim.SGD(params, lr=lr / batch_size)
    optimizer.step()
    optimizer.zero_grad()
