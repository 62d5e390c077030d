# expect: full
# whole-file
# what: a demo at the top level compares with torch.softmax into a global y_hat; cross_entropy's parameter y_hat is its own
"""Softmax regression, with a check against torch's softmax at the top level, as learners write it."""
import torch

X = torch.normal(0, 1, (2, 5))
y_hat = torch.softmax(X, dim=1)
y = torch.tensor([0, 2])


def softmax(X):
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


print(torch.allclose(softmax(X), y_hat), cross_entropy(y_hat, y))
