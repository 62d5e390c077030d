# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: the 4.1/4.2 book cells pasted: `from d2l import torch as d2l`, google.colab check, top-level x/y/backward demo and prints, the book's top-level nn.Parameter params and an unused `loss = nn.CrossEntropyLoss(reduction='none')` object, plotting only under __main__
"""Multilayer perceptrons (4.1) and the from-scratch MLP (4.2): notebook cells pasted in order."""
import sys

import torch
from torch import nn
from d2l import torch as d2l

if "google.colab" in sys.modules:  # pragma: no cover
    print("Colab detected")


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


def sigmoid(X):
    # 1 / (1 + exp(-x)), arranged so that exp never sees a large positive argument
    z = torch.exp(-torch.where(X >= 0, X, -X))  # exp(-|x|), in (0, 1]
    return torch.where(X >= 0, 1 / (1 + z), z / (1 + z))


def hard_sigmoid(X):
    return (relu(X + 1) - relu(X - 1)) / 2


x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = relu(x)
y.backward(torch.ones_like(x), retain_graph=True)
print("relu'(x) is 1 on", int(x.grad.sum()), "of", x.numel(), "points")
x.grad.data.zero_()
y = sigmoid(x)
y.backward(torch.ones_like(x), retain_graph=True)
print("max of sigmoid'(x):", float(x.grad.max()))

num_inputs, num_outputs, num_hiddens = 784, 10, 256

W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens, requires_grad=True) * 0.01)
b1 = nn.Parameter(torch.zeros(num_hiddens, requires_grad=True))
W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs, requires_grad=True) * 0.01)
b2 = nn.Parameter(torch.zeros(num_outputs, requires_grad=True))

params = [W1, b1, W2, b2]


def net(X):
    X = X.reshape((-1, num_inputs))
    H = relu(X @ W1 + b1)  # Here '@' stands for matrix multiplication
    return (H @ W2 + b2)


def mlp(X, params):
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = relu(X @ W1 + b1)
    return H @ W2 + b2


loss = nn.CrossEntropyLoss(reduction='none')  # the book's next cell; training needs Fashion-MNIST, so not run here
print("net on two fake images:", tuple(net(torch.zeros(2, 1, 28, 28)).shape),
      "mlp:", tuple(mlp(torch.zeros(2, 1, 28, 28), params).shape))

if __name__ == "__main__":
    d2l.plot(x.detach(), relu(x).detach(), 'x', 'relu(x)', figsize=(5, 2.5))
    d2l.plot(x.detach(), hard_sigmoid(x).detach(), 'x', 'hard_sigmoid(x)', figsize=(5, 2.5))
    d2l.plt.show()
