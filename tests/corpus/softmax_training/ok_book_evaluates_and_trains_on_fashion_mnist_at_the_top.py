# expect: full
# what: the book's 3.6 at the top level on d2l.load_data_fashion_mnist (the stand-in's small made-up data): evaluate_accuracy and train_ch3 with the file's own net, then the stub's functions
import torch
from d2l import torch as d2l

batch_size = 256
train_iter, test_iter = d2l.load_data_fashion_mnist(batch_size)
num_inputs, num_outputs = 784, 10
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
b = torch.zeros(num_outputs, requires_grad=True)


def _net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


print(d2l.evaluate_accuracy(_net, test_iter))
lr = 0.1


def _updater(batch_size):
    return d2l.sgd([W, b], lr, batch_size)


d2l.train_ch3(_net, train_iter, test_iter, cross_entropy, 3, _updater)
d2l.predict_ch3(_net, test_iter)
