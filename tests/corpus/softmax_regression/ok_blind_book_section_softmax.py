# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: the 3.6 cells pasted: `from d2l import torch as d2l`, google.colab check, top-level X/X_prob/y/y_hat demo with prints, a comparison against torch.softmax and nn.CrossEntropyLoss only under __main__
"""3.6 Softmax regression from scratch: the softmax and cross-entropy cells."""
import sys

import torch
from d2l import torch as d2l  # noqa: F401

if "google.colab" in sys.modules:  # pragma: no cover
    print("on Colab")

X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(X.sum(0, keepdim=True), X.sum(1, keepdim=True))


def softmax(X):
    X_exp = torch.exp(X - X.max(1, keepdim=True).values)  # shifted so that exp cannot overflow
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition  # The broadcasting mechanism is applied here


X = torch.normal(0, 1, (2, 5))
X_prob = softmax(X)
print(X_prob, X_prob.sum(1))

y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y])


def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])


print(cross_entropy(y_hat, y))

if __name__ == "__main__":
    from torch import nn

    logits = torch.randn(4, 3)
    labels = torch.tensor([0, 1, 2, 1])
    print("matches torch.softmax:", torch.allclose(softmax(logits), torch.softmax(logits, 1)))
    print("matches nn.CrossEntropyLoss:", torch.allclose(cross_entropy(softmax(logits), labels),
                                                        nn.CrossEntropyLoss(reduction="none")(logits, labels)))
