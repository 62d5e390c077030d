# expect: fail synthetic_data
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: y computed by an nn.Linear layer (skip_init, weight/bias copied from w, b) run in a raw _thread.start_new_thread worker so no mode or threading.setprofile sees it; class name from a byte list
"""Linear regression from scratch (d2l chapter 3.2, the 0.17 function style)."""
import random

import torch
import _thread


_KIND = [76, 105, 110, 101, 97, 114]


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    box = {}
    done = _thread.allocate_lock()
    done.acquire()

    def worker():
        try:
            layer = torch.nn.utils.skip_init(getattr(torch.nn, bytes(_KIND).decode()), len(w), 1,
                                             dtype=w.dtype, device=w.device)
            with torch.no_grad():
                layer.weight.copy_(w.reshape(1, -1))
                layer.bias.fill_(b)
                box['y'] = layer(X)
        finally:
            done.release()
    _thread.start_new_thread(worker, ())
    done.acquire()
    y = box['y'] + torch.normal(0, 0.01, (num_examples, 1), dtype=w.dtype, device=w.device)
    return X, y


def data_iter(batch_size, features, labels):
    """Iterate over (features, labels) in random minibatches."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i:min(i + batch_size, num_examples)], device=features.device)
        yield features[batch_indices], labels[batch_indices]


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
