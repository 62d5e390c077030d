# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: d2l 1.0 style SoftmaxRegressionScratch class whose forward does the math (via the given softmax), a callable-class accuracy counter, a generic fit_epoch method, isinstance checks on tensors
"""Softmax regression training in the d2l 1.0 class style, wrapped in the graded functions."""
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


class SoftmaxRegressionScratch:
    """Holds W and b (the caller's own tensors, so that updates are in place)."""

    def __init__(self, W, b):
        assert isinstance(W, torch.Tensor) and isinstance(b, torch.Tensor)
        self.W, self.b = W, b

    def parameters(self):
        return [self.W, self.b]

    def forward(self, X):
        X = X.reshape((-1, self.W.shape[0]))
        return softmax(torch.matmul(X, self.W) + self.b)

    __call__ = forward

    def loss(self, y_hat, y):
        return cross_entropy(y_hat, y)

    def fit_epoch(self, train_iter, lr, counter):
        total_loss, total_right, total = 0.0, 0.0, 0
        for X, y in train_iter:
            y_hat = self(X)
            l = self.loss(y_hat, y)
            l.sum().backward()
            sgd(self.parameters(), lr, len(y))
            total_loss += float(l.detach().sum())
            total_right += counter(y_hat, y)
            total += len(y)
        return total_loss / total, total_right / total


class CorrectCounter:
    """counter(y_hat, y) -> float: how many predictions are right."""

    def __call__(self, y_hat, y):
        if y_hat.ndim > 1 and y_hat.shape[1] > 1:
            y_hat = torch.argmax(y_hat, dim=1)
        return float(torch.sum(y_hat.type(y.dtype) == y))


accuracy = CorrectCounter()


def net(X, W, b):
    return SoftmaxRegressionScratch(W, b)(X)


def evaluate_accuracy(W, b, data_iter):
    model = SoftmaxRegressionScratch(W, b)
    right = n = 0
    with torch.no_grad():
        for X, y in data_iter:
            right += accuracy(model(X), y)
            n += len(y)
    return right / n


def train_epoch(W, b, train_iter, lr):
    return SoftmaxRegressionScratch(W, b).fit_epoch(train_iter, lr, accuracy)
