"""Softmax regression trained from scratch on images (d2l 3.6, the 0.17 function style).

softmax, cross_entropy and sgd are given (you wrote them in the earlier assignments). Fill in
net, accuracy, evaluate_accuracy and train_epoch. The grader trains your functions on
scikit-learn's 8x8 digits; run ``pytest`` in this folder to check your work.
"""
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
    """The softmax regression model.

    Args:
        X: inputs of shape (n, ...), such as images (n, 8, 8); each example is flattened
            to W.shape[0] features.
        W: weights of shape (d, q).
        b: biases of shape (q,).

    Returns:
        Class probabilities of shape (n, q): softmax(X_flat W + b).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("net: not implemented yet")


def accuracy(y_hat, y):
    """The number of correct predictions, as in d2l 0.17.

    Args:
        y_hat: class probabilities of shape (n, q), or predicted classes of shape (n,).
        y: the true classes, an int64 tensor of shape (n,).

    Returns:
        A Python float: how many predictions equal y (a count, not a fraction). With a
        matrix y_hat, the prediction is each row's argmax.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("accuracy: not implemented yet")


def evaluate_accuracy(W, b, data_iter):
    """The accuracy of net(., W, b) over a whole dataset.

    Args:
        W, b: the model's parameters.
        data_iter: an iterable of (X, y) minibatches; the last may be shorter.

    Returns:
        A Python float: correct predictions over all examples divided by the number of
        examples (not the mean of the minibatches' accuracies).

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("evaluate_accuracy: not implemented yet")


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b (leaf tensors that require grad), in place.

    For each (X, y) in train_iter: the cross-entropy of net(X, W, b), summed, backward,
    then sgd([W, b], lr, len(y)): each batch's real length, so that a short last batch
    takes a step of the right size.

    Args:
        W, b: the parameters, updated in place.
        train_iter: an iterable of (X, y) minibatches.
        lr: the learning rate.

    Returns:
        (mean loss, accuracy) over the epoch's examples: the sum of the per-example
        losses divided by the number of examples, and the correct predictions divided
        by the number of examples.

    From scratch: use elementary tensor operations (arithmetic, comparisons, exp and log,
    reductions, indexing, shapes, matrix products, creating tensors, random numbers, autograd).
    Ready-made versions (a torch loss, activation, layer, softmax or optimizer, numpy's or
    scipy's) get no points here; the grader checks what your code runs, whatever name reaches
    it.
    """
    raise NotImplementedError("train_epoch: not implemented yet")
