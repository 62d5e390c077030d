# expect: fail evaluate_accuracy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: divides by number of batches times the first batch's size
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
    """
    return softmax(X.flatten(start_dim=1) @ W + b)


def accuracy(y_hat, y):
    """The number of correct predictions, as in d2l 0.17.

    Args:
        y_hat: class probabilities of shape (n, q), or predicted classes of shape (n,).
        y: the true classes, an int64 tensor of shape (n,).

    Returns:
        A Python float: how many predictions equal y (a count, not a fraction). With a
        matrix y_hat, the prediction is each row's argmax.
    """
    preds = y_hat.argmax(dim=1) if y_hat.dim() == 2 else y_hat
    return float((preds.to(y.dtype) == y).sum().item())


def evaluate_accuracy(W, b, data_iter):
    """The accuracy of net(., W, b) over a whole dataset.

    Args:
        W, b: the model's parameters.
        data_iter: an iterable of (X, y) minibatches; the last may be shorter.

    Returns:
        A Python float: correct predictions over all examples divided by the number of
        examples (not the mean of the minibatches' accuracies).
    """
    correct, num_batches, batch_size = 0.0, 0, None
    with torch.no_grad():
        for X, y in data_iter:
            if batch_size is None:
                batch_size = len(y)
            correct += accuracy(net(X, W, b), y)
            num_batches += 1
    return correct / (num_batches * batch_size)


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
    """
    metric = Accumulator(3)  # sum of losses, no. of correct predictions, no. of examples
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


class Accumulator:
    """For accumulating sums over `n` variables."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]
