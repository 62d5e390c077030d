# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: d2l 1.0 style class whose methods do the math, a functools.wraps shape-checking decorator, the graded functions delegating to a module-level instance, asserts on shapes
"""Analytic solution in the object-oriented (d2l 1.0) style.

A small `LinearRegressionClosedForm` class holds the fitted weights; the graded functions are thin
wrappers around it.
"""
import functools

import torch


def returns_column(fn):
    """Decorator: check that the result is a column vector (d + 1, 1)."""

    @functools.wraps(fn)
    def wrapper(X, y):
        out = fn(X, y)
        assert out.dim() == 2 and out.shape == (X.shape[1] + 1, 1), out.shape
        return out

    return wrapper


class LinearRegressionClosedForm:
    """Fits w, b by the normal equations."""

    def __init__(self):
        self.w = None
        self.b = None

    @staticmethod
    def design(X):
        ones = torch.ones(X.shape[:-1] + (1,), dtype=X.dtype, device=X.device)
        return torch.cat([X, ones], -1)

    def fit(self, X, y):
        Xb = self.design(X)
        if torch.linalg.matrix_rank(Xb).item() < Xb.shape[-1]:
            raise ValueError("absorb_bias(X) does not have full column rank")
        gram = torch.matmul(Xb.transpose(0, 1), Xb)
        moment = torch.matmul(Xb.transpose(0, 1), y.reshape(-1, 1))
        theta = torch.linalg.solve(gram, moment)
        self.w, self.b = theta[:-1], theta[-1]
        return theta

    def forward(self, X):
        return X @ self.w + self.b

    __call__ = forward


_model = LinearRegressionClosedForm()


def absorb_bias(X):
    return LinearRegressionClosedForm.design(X)


@returns_column
def analytic_solution(X, y):
    return _model.fit(X, y)
