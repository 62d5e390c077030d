# expect: full
# whole-file
"""d2l 0.17's code, as printed in the book."""
import torch


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition  # The broadcasting mechanism is applied here


def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])
