# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: the 3.6 training cells pasted: `from d2l import torch as d2l`, the book's Accumulator, generic evaluate/train helpers with isinstance(net, torch.nn.Module) and isinstance(updater, torch.optim.Optimizer) branches, an updater lambda, functools.partial for net, top-level W/b, the Animator demo only under __main__
"""3.6 Softmax regression from scratch: training (pasted), adapted to the graded signatures."""
import functools

import torch
from d2l import torch as d2l


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


num_inputs = 784
num_outputs = 10

W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)


def net(X, W, b):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def accuracy(y_hat, y):  #@save
    """Compute the number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


class Accumulator:  #@save
    """For accumulating sums over `n` variables."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def evaluate_accuracy_ch3(net, data_iter):  #@save
    """Compute the accuracy for a model on a dataset."""
    if isinstance(net, torch.nn.Module):
        net.eval()  # Set the model to evaluation mode
    metric = Accumulator(2)  # No. of correct predictions, no. of predictions
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def train_epoch_ch3(net, train_iter, loss, updater):  #@save
    """The training loop defined in Chapter 3."""
    # Set the model to training mode
    if isinstance(net, torch.nn.Module):
        net.train()
    # Sum of training loss, sum of training accuracy, no. of examples
    metric = Accumulator(3)
    for X, y in train_iter:
        # Compute gradients and update parameters
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            # Using PyTorch in-built optimizer & loss criterion
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            # Using custom built optimizer & loss criterion
            l.sum().backward()
            updater(len(y))
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    # Return training loss and training accuracy
    return metric[0] / metric[2], metric[1] / metric[2]


def evaluate_accuracy(W, b, data_iter):
    return evaluate_accuracy_ch3(functools.partial(net, W=W, b=b), data_iter)


def train_epoch(W, b, train_iter, lr):
    updater = lambda batch_size: sgd([W, b], lr, batch_size)  # noqa: E731
    return train_epoch_ch3(functools.partial(net, W=W, b=b), train_iter, cross_entropy, updater)


if __name__ == "__main__":
    train_iter, test_iter = d2l.load_data_fashion_mnist(256)
    animator = d2l.Animator(xlabel='epoch', xlim=[1, 10], ylim=[0.3, 0.9],
                            legend=['train loss', 'train acc', 'test acc'])
    for epoch in range(10):
        train_metrics = train_epoch(W, b, train_iter, 0.1)
        test_acc = evaluate_accuracy(W, b, test_iter)
        animator.add(epoch + 1, train_metrics + (test_acc,))
    d2l.plt.show()
