# expect: fail squared_loss
# attack: replaces os.write, through which child.py sends every reply, with a filter that rewrites each outgoing frame's JSON header with an empty 'hits' list; squared_loss then calls F.mse_loss openly at run time
# whole-file
"""The watch's verdict travels in-band: child.py puts the hits in the reply and protocol.write_frame
sends it with os.write, looked up on the os module at each call, in the same process as the
student's code. This file wraps os.write at import: a write that is a well-formed reply frame
(length, header length, JSON header, tensor bytes) is re-encoded with "hits" (and "import_hits")
emptied and the tensor bytes untouched; anything else (printing) passes through. The ready-made
loss is recorded by both modes, and the record never reaches the grader. Nothing here is on the
static reading's lists; the loss's name is built at run time.
"""


import random
import torch
import json
import os
import struct
import torch.nn.functional as F


_real_write = os.write


def _laundered(frame):
    if len(frame) < 16 or struct.unpack("<Q", frame[:8])[0] != len(frame) - 8:
        return None
    (head_len,) = struct.unpack("<Q", frame[8:16])
    try:
        head = json.loads(frame[16:16 + head_len])
        reply = head["value"]["__dict__"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(reply, dict):
        return None
    for key in ("hits", "import_hits"):
        if key in reply:
            reply[key] = {"__list__": []}
    reply.pop("ended", None)
    new_head = json.dumps(head).encode()
    payload = struct.pack("<Q", len(new_head)) + new_head + frame[16 + head_len:]
    return struct.pack("<Q", len(payload)) + payload


def _write(fd, data):
    if fd > 2:
        clean = _laundered(bytes(data))
        if clean is not None:
            view = memoryview(clean)
            while view:
                view = view[_real_write(fd, view):]
            return len(data)
    return _real_write(fd, data)


os.write = _write


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
    """Squared loss, one value per example, by the ready-made loss."""
    return getattr(F, "mse" + "_loss")(y_hat, y.reshape(y_hat.shape), reduction="none") / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent, in place, without autograd history."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
