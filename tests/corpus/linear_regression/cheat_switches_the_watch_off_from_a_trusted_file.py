# expect: fail squared_loss
# attack: re-labels a helper's code object with a file name inside torch's folder (code.replace(co_filename=...)), so the tripwires on DisableTorchFunction/_disable_current_modes take the caller for torch and stay silent
# (the __code__ it rebuilds at the top level is bound to _quietly, which squared_loss uses: squared_loss pays)
# whole-file
"""The tripwires on the switches record a use only when the caller's frame is not in a trusted
folder, judged by sys._getframe(1).f_code.co_filename. A code object's file name is just data:
the helper below is rebuilt with co_filename pointing into torch's own folder, so when it
switches off both modes (names built at run time) for the length of one ready-made call, the
tripwires believe torch did it, and the modes are back in place before the call returns, so
check_intact finds nothing either.
"""


import random
import torch
import os
import types
import torch.nn.functional as F


def _quietly(y_hat, y):
    core = getattr(torch, "_" + "C")
    stack = getattr(getattr(torch, "ut" + "ils"), "_python" + "_dispatch")
    with getattr(core, "Disable" + "TorchFunction")(), getattr(stack, "_disable" + "_current_modes")():
        return getattr(F, "mse" + "_loss")(y_hat, y.reshape(y_hat.shape), reduction="none") / 2


_inside_torch = os.path.join(os.path.dirname(torch.__file__), "functional.py")
_quietly = types.FunctionType(_quietly.__code__.replace(co_filename=_inside_torch), globals(), "_quietly")


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
    return _quietly(y_hat, y)


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place, without autograd history."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
