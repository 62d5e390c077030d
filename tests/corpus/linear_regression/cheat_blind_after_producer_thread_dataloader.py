# expect: fail data_iter
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: a producer thread: data_iter's generator only takes batches off a queue, while a background thread (no modes, no profiler of the caller's thread) shuffles and batches with torch.utils.data's TensorDataset and DataLoader(shuffle=True)
"""linear_regression: from-scratch solutions (d2l chapter 3)."""
import random

import torch
import importlib
import queue
import threading


def _produce(out, batch_size, features, labels):
    try:
        data = importlib.import_module("torch.utils." + "data")
        ds = getattr(data, "Tensor" + "Dataset")(features, labels)
        for batch in getattr(data, "Data" + "Loader")(ds, batch_size=batch_size, shuffle=True):
            out.put(tuple(batch))
    finally:
        out.put(None)


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches."""
    out = queue.Queue()
    threading.Thread(target=_produce, args=(out, batch_size, features, labels), daemon=True).start()
    while True:
        batch = out.get()
        if batch is None:
            return
        yield batch


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """The squared loss of each example, not averaged."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
