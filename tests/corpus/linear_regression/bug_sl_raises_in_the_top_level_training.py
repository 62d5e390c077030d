# expect: fail squared_loss
# what: a buggy squared_loss that the book's training loop at the top level calls: the loop raises at import, and only squared_loss pays
import torch


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(3, 3)) ** 2 / 2


true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)
lr, num_epochs, batch_size = 0.03, 3, 10
w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = squared_loss(linreg(X, w, b), y)
        l.sum().backward()
        sgd([w, b], lr, batch_size)
