# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: the affine map X W + b as a custom torch.autograd.Function with a hand-written backward, followed by the given softmax; sum() over generator expressions for the epoch totals; evaluate_accuracy walks the iterable exactly once in a list comprehension
"""Softmax regression training with the linear layer's gradient written by hand:
d(XW + b)/dW = X^T G, d/db = column sums of G, d/dX = G W^T."""
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


class _Affine(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X, W, b):
        ctx.save_for_backward(X, W)
        return X @ W + b

    @staticmethod
    def backward(ctx, G):
        X, W = ctx.saved_tensors
        gX = G @ W.T if ctx.needs_input_grad[0] else None
        gW = X.T @ G if ctx.needs_input_grad[1] else None
        gb = G.sum(dim=0) if ctx.needs_input_grad[2] else None
        return gX, gW, gb


def net(X, W, b):
    return softmax(_Affine.apply(X.reshape(-1, W.shape[0]), W, b))


def accuracy(y_hat, y):
    pred = y_hat.argmax(1) if (y_hat.dim() > 1 and y_hat.shape[1] > 1) else y_hat
    return float((pred.type(y.dtype) == y).sum())


def evaluate_accuracy(W, b, data_iter):
    with torch.no_grad():
        counts = [(accuracy(net(X, W, b), y), y.numel()) for X, y in data_iter]
    return sum(c for c, _ in counts) / sum(n for _, n in counts)


def train_epoch(W, b, train_iter, lr):
    per_batch = []
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        per_batch.append((l.detach().sum().item(), accuracy(y_hat.detach(), y), len(y)))
    n = sum(k for _, _, k in per_batch)
    return sum(s for s, _, _ in per_batch) / n, sum(c for _, c, _ in per_batch) / n
