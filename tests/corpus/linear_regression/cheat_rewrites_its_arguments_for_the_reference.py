# expect: fail linreg, squared_loss
# attack: linreg and squared_loss return constants and overwrite their (non-grad) input tensors in place; the proxy copies every changed tensor argument back into the grader's tensors, and the values checks compute the reference's answer from them after the call
# whole-file
"""proxy.StudentSession.call copies in-place changes of every tensor argument back into the
grader's own tensors (_apply_in_place: meant for sgd). test_linreg_values and
test_squared_loss_values call the student first and compute `want = ref.f(...)` afterwards from
the same tensors. So a linreg that zeroes X and returns b broadcast gets want = 0 @ w + b = its
answer (and it is neither X @ w nor X @ w - b, which the check rules out), and a squared_loss
that copies y into y_hat and returns zeros gets want = 0. Both compute nothing; the values checks
(2 + 2 points) must not pass. (Their gradient checks fail, so the harness's "fail" is met either
way: the points of linreg_values and squared_loss_values are what to look at.)
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
    """Not the model: b everywhere, after making X zero so that it looks right."""
    with torch.no_grad():
        X.zero_()
    return b.detach().reshape(1, 1).expand(X.shape[0], 1).clone()


def squared_loss(y_hat, y):
    """Not the loss: zeros, after making y_hat equal to y so that it looks right."""
    with torch.no_grad():
        y_hat.copy_(y.reshape(y_hat.shape))
    return torch.zeros_like(y_hat)


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place, without autograd history."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
