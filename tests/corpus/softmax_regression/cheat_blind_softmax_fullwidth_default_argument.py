# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.softmax bound as a default argument at def time and spelled with fullwidth Unicode letters (NFKC-normalised to 'softmax' by Python, invisible to a text grep for 'softmax')
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style)."""
import torch
from torch import nn as ｎｎ


def softmax(X, _rows=ｎｎ.ｆｕｎｃｔｉｏｎａｌ.ｓｏｆｔｍａｘ):
    """Row-wise softmax."""
    return _rows(X, 1)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
