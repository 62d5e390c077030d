# expect: fail sgd
# attack: steps the parameters with torch._fused_sgd_, the kernel behind torch.optim.SGD(fused=True): not under the torch.optim prefix, no patched class, and its aten op is not in the watch's list
# whole-file
"""The optimizers group forbids "torch.optim", which the static reading matches as a name prefix
and the run-time watch enforces by patching the classes in torch.optim. The optimiser's own
update kernel is also exposed as torch._fused_sgd_ (aten::_fused_sgd_), the whole SGD step in
one call; neither watch knows it. (torch.optim.sgd.sgd / torch.optim._functional.sgd reached by
run-time names is the same gap: a function, not a patched class, whose ops are plain add_.)
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
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss, one value per example."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, one fused kernel call."""
    params = list(params)
    with torch.no_grad():
        torch._fused_sgd_(params, [p.grad for p in params], [], weight_decay=0.0, momentum=0.0,
                          lr=lr / batch_size, dampening=0.0, nesterov=False, maximize=False,
                          is_first_step=False)
        for param in params:
            param.grad.zero_()
