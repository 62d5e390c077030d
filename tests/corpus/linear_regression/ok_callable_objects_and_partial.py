# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: functions are instances of small classes with __call__ and functools.partial objects; module-level constants
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import functools
import random

import torch

NOISE_STD = 0.01
HALF = 0.5


class _SyntheticData:
    """Generate y = Xw + b + noise (X ~ N(0, 1), noise ~ N(0, NOISE_STD**2))."""

    def __init__(self, noise_std):
        self.noise_std = noise_std

    def __call__(self, w, b, num_examples):
        X = torch.normal(0, 1, (num_examples, len(w))).to(device=w.device, dtype=w.dtype)
        y = torch.matmul(X, w) + b
        y += torch.normal(0, self.noise_std, y.shape).to(y)
        return X, y.reshape((-1, 1))


synthetic_data = _SyntheticData(NOISE_STD)


class DataIter:
    """Callable that yields shuffled minibatches; a new shuffle on every call."""

    def __call__(self, batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        random.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]


data_iter = DataIter()


def _affine(X, w, b, *, matmul):
    return matmul(X, w) + b


linreg = functools.partial(_affine, matmul=torch.matmul)


def _scaled_power_loss(y_hat, y, power, scale):
    return (y_hat - y.reshape(y_hat.shape)) ** power * scale


squared_loss = functools.partial(_scaled_power_loss, power=2, scale=HALF)


class _SGD:
    def __call__(self, params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()


sgd = _SGD()
