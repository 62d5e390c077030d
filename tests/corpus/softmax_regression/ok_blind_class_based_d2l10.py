# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: d2l 1.0 style SoftmaxRegressionScratch class with static methods; softmax is the class's staticmethod, cross_entropy a callable-class instance; gather for the picked probabilities
"""Softmax regression pieces organised as in d2l 1.0 (SoftmaxRegressionScratch)."""
import torch


class SoftmaxRegressionScratch:
    """Only the parts this assignment needs: the softmax and the per-example loss."""

    @staticmethod
    def softmax(X):
        X_exp = torch.exp(X - torch.max(X, dim=1, keepdim=True)[0])
        return X_exp / X_exp.sum(1, keepdim=True)

    @staticmethod
    def loss(y_hat, y):
        picked = torch.gather(y_hat, 1, y.reshape(-1, 1).long())
        return -torch.log(picked).reshape(-1)


class CrossEntropy:
    """Callable per-example cross-entropy, like a loss object but written from scratch."""

    def __call__(self, y_hat, y):
        return SoftmaxRegressionScratch.loss(y_hat, y)

    def __repr__(self):
        return "CrossEntropy(reduction='none', from scratch)"


softmax = SoftmaxRegressionScratch.softmax
cross_entropy = CrossEntropy()
