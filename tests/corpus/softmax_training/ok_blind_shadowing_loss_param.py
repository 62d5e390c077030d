# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: top-level loss = cross_entropy / updater = sgd / features, labels that helper parameters and locals shadow, Python's random to shuffle the demo batches, .tolist() of integer labels in the top-level demo, a top-level training run with a short printout
"""Softmax regression training; the top of the file is a small demo on made-up 2x2 images."""
import random

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
    return softmax(X.reshape((-1, W.shape[0])) @ W + b)


def accuracy(y_hat, y):
    if y_hat.dim() == 2 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    return float((y_hat.type(y.dtype) == y).type(y.dtype).sum())


def evaluate_accuracy(W, b, data_iter):
    hits, total = 0.0, 0
    with torch.no_grad():
        for features, labels in data_iter:
            hits += accuracy(net(features, W, b), labels)
            total += labels.numel()
    return hits / total


def _run_epoch(params, batches, loss, updater):
    """Generic loop: loss(y_hat, y) per example, updater(batch_size) after backward."""
    W, b = params
    loss_total = hits = 0.0
    total = 0
    for features, labels in batches:
        y_hat = net(features, W, b)
        l = loss(y_hat, labels)
        l.sum().backward()
        updater(len(labels))
        loss_total += float(l.detach().sum())
        hits += accuracy(y_hat, labels)
        total += labels.numel()
    return loss_total / total, hits / total


def train_epoch(W, b, train_iter, lr):
    def updater(batch_size):
        sgd([W, b], lr, batch_size)

    return _run_epoch((W, b), train_iter, cross_entropy, updater)


# ---- demo: 2x2 "images", class = brightest corner ----------------------------------------
loss = cross_entropy
updater = sgd
features = torch.rand(200, 2, 2)
labels = features.reshape(200, 4).argmax(dim=1)
print("first labels:", labels[:10].tolist())
batches = [(features[i:i + 20], labels[i:i + 20]) for i in range(0, 200, 20)]
W_demo = torch.zeros(4, 4, requires_grad=True)
b_demo = torch.zeros(4, requires_grad=True)
for epoch in range(3):
    random.shuffle(batches)
    train_l, train_acc = train_epoch(W_demo, b_demo, batches, 1.0)
print(f"demo after 3 epochs: loss {train_l:.3f}, accuracy {train_acc:.2f}, "
      f"eval {evaluate_accuracy(W_demo, b_demo, iter(batches)):.2f}")
