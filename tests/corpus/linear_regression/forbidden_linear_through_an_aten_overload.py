# expect: fail linreg
# attack: calls torch.ops.aten.linear.default (an OpOverload, reached by run-time names): the function mode matches func.__name__ exactly ('linear.default' is not 'linear'), and the dispatch mode has no aten entry for linear, which decomposes to t/addmm before it anyway
# whole-file
"""The function mode records a call when func.__name__ is one of the forbidden leaves; for
torch.nn.functional.linear that leaf is "linear". torch.ops.aten.linear (the packet) is caught,
but its overload torch.ops.aten.linear.default is named "linear.default". At the aten level,
_ATEN_OPS has no entry for "linear" (only softmax, losses, activations, solvers), and
aten::linear is CompositeImplicitAutograd, so the Python dispatch key sees t and addmm. The
names are built at run time (torch.ops is flagged by the static reading only as a dotted name).
"""


import random
import torch


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise (d2l 0.17), on w's device and in w's dtype."""
    X = torch.normal(0, 1, (num_examples, len(w)), dtype=w.dtype, device=w.device)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape, dtype=w.dtype, device=w.device)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Shuffled minibatches; the last one is shorter when batch_size does not divide n."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)], device=features.device)
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    """The linear regression model, by aten's ready-made linear layer."""
    aten = getattr(getattr(torch, "o" + "ps"), "aten")
    return getattr(aten, "lin" + "ear").default(X, w.T, b)


def squared_loss(y_hat, y):
    """Squared loss, one value per example."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place, without autograd history."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
