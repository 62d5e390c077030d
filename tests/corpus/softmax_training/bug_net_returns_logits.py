# expect: fail net, train_epoch
# whole-file
# what: (blind round 3) net forgets the softmax and returns the logits X_flat W + b; evaluate_accuracy stays right (argmax is the same on logits), but train_epoch feeds logits to cross_entropy, so -log of zero/negative numbers gives inf/NaN and training breaks. accuracy is correct. Expected losses: net and train_epoch (train_epoch only through its call of net; a grader that swaps in the reference net would let train_epoch pass).
"""Softmax regression trained from scratch on images (d2l 3.6, the 0.17 function style)."""
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
    """The softmax regression model."""
    return torch.matmul(X.reshape((-1, W.shape[0])), W) + b


def accuracy(y_hat, y):
    """The number of correct predictions, as in d2l 0.17 (a Python float count)."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(W, b, data_iter):
    """Correct predictions over all examples / number of examples, a Python float."""
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += accuracy(net(X, W, b), y)
            total += y.numel()
    return correct / total


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b, in place; returns (mean loss, accuracy)."""
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        loss_sum += float(l.sum())
        correct += accuracy(y_hat, y)
        total += len(y)
    return loss_sum / total, correct / total
