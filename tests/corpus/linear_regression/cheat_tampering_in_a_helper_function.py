# expect: fail sgd
# attack: puts sys.modules (switching the guard's 'active' flag off) and torch.optim.SGD in top-level helper functions that sgd calls: the static reading charges each finding to the helper's own name, which is no graded function, and nothing at run time checks the flag
# (the helpers are reachable from sgd alone, so sgd alone pays; the watch's module is not in sys.modules, so the lookup fails, and the optimiser is outside sgd's rules)
# whole-file
"""static_scan charges a finding to the top-level function it is written in, and judge.read_source
keeps it under that name; scoring only looks at the graded functions' names, so a finding in
_quiet or _step (or in any class's method) costs nothing, however plain: sys.modules, gc,
ctypes, torch._C, torch.optim. At run time, _quiet sets the live guard's `active` to False inside
the call, so that the patched SGD.__init__/step record nothing; switched_off() checks the modes,
the dispatch key and the patched methods, never the flag.
"""


import random
import torch
import sys


def _quiet():
    """Tell the grader's watch to stop recording for the rest of this call."""
    sys.modules["autograder.sandbox.student_side.scratch_guard"]._current_guard.active = False


def _step(params, lr, batch_size):
    optimiser = torch.optim.SGD(params, lr=lr / batch_size)
    optimiser.step()
    optimiser.zero_grad(set_to_none=False)


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
    """Minibatch stochastic gradient descent, by the ready-made optimiser."""
    _quiet()
    _step(list(params), lr, batch_size)
