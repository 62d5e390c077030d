"""Alice: correct, written her own way (randperm, a list of batches, grads set to None)."""
import torch


def synthetic_data(w, b, num_examples):
    X = torch.randn(num_examples, len(w), dtype=w.dtype, device=w.device)
    y = X @ w + b + 0.01 * torch.randn(num_examples, dtype=w.dtype, device=w.device)
    return X, y.reshape(-1, 1)


def data_iter(batch_size, features, labels):
    order = torch.randperm(len(features), device=features.device)
    return [(features[idx], labels[idx]) for idx in order.split(batch_size)]


def linreg(X, w, b):
    return X @ w + b


def squared_loss(y_hat, y):
    return 0.5 * (y_hat - y.view_as(y_hat)) ** 2


@torch.no_grad()
def sgd(params, lr, batch_size):
    for p in params:
        p -= lr * p.grad / batch_size
        p.grad = None
