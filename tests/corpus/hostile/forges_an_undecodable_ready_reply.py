# expect: zero
# attack: writes, at import, a forged 'ready' frame holding a zero-size tensor of shape [0, 2**62, 2**62]: protocol.decode raises RuntimeError (not ProtocolError), which escapes StudentProcess.__init__ before anything kills the process, so every check leaks a live student process and three pipe fds in the grader's worker
# whole-file
"""runner.StudentProcess.receive turns only EOFError and ProtocolError into a crash (which kills
the process). protocol.decode checks a tensor's byte count against its shape, but a shape with
a zero in it has no bytes, and torch.empty([0, 2**62, 2**62]) raises RuntimeError ("Stride
calculation overflowed"; [0, 2**64] raises TypeError). At import this file writes such a frame,
posing as the "ready" message, on its reply pipe (the lowest write-only FIFO it holds). The
grader's _await_ready raises, StudentProcess.__init__ never returns, and nobody keeps its pid or
its pipes: the process waits forever for a request, and the worker keeps three fds open. Each
check starts (and leaks) another one: 23 per submission and device, until the worker exits. A
few such submissions in one worker exhaust its file descriptors (os.pipe() fails: every later
student in that worker gets "the grader itself failed") and fill the machine with idle
processes. Every check of this file must fail; nothing may stay alive.
"""


import random
import torch
import fcntl
import json
import os
import stat
import struct


def _reply_pipes():
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
                yield fd
        except OSError:
            continue


def _forge_ready():
    empty = {"__list__": []}
    value = {"__dict__": {"status": "ready", "functions": empty, "import_hits": empty,
                          "a": {"__tensor__": 0, "dtype": "float32", "shape": [0, 2 ** 62, 2 ** 62]},
                          "b": {"__tensor__": 1, "dtype": "float32", "shape": [0, 2 ** 64]}}}
    head = json.dumps({"value": value, "sizes": [0, 0]}).encode()
    payload = struct.pack("<Q", len(head)) + head
    frame = struct.pack("<Q", len(payload)) + payload
    for fd in _reply_pipes():  # the lowest write-only FIFO is the reply pipe inherited from the template
        os.write(fd, frame)
        break


_forge_ready()


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
    """Minibatch stochastic gradient descent, in place, without autograd history."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
