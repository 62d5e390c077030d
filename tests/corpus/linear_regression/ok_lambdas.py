# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: every function is a lambda bound to the stub's name (data_iter returns a generator expression); sgd delegates to an underscore helper
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import random

import torch

# I like one-liners. Each name below is still a plain callable with the stub's signature.

synthetic_data = lambda w, b, num_examples: (
    lambda X: (X, (X @ w + b + 0.01 * torch.randn(num_examples, dtype=w.dtype, device=w.device)).reshape(-1, 1))
)(torch.randn(num_examples, len(w), dtype=w.dtype, device=w.device))

# The permutation is drawn when data_iter is called (the first `for` of a generator expression is
# evaluated eagerly), so every call gets a fresh order.
data_iter = lambda batch_size, features, labels: (
    (features[perm[i:i + batch_size]], labels[perm[i:i + batch_size]])
    for perm in [torch.randperm(len(features))]
    for i in range(0, len(features), batch_size)
)

linreg = lambda X, w, b: X @ w + b

squared_loss = lambda y_hat, y: (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def _step(param, lr, batch_size):
    with torch.no_grad():
        param -= lr * param.grad / batch_size
    param.grad.zero_()


sgd = lambda params, lr, batch_size: [_step(p, lr, batch_size) for p in params] and None
