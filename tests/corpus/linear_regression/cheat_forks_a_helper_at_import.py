# expect: zero
# says: a process left running
# attack: a helper process forked at import runs torch.optim.SGD where the watch does not reach, and answers over a pipe
"""A helper process started at import does the optimizer's work; sgd only asks it."""
import os
import pickle

import torch

_ask_r, _ask_w = os.pipe()
_answer_r, _answer_w = os.pipe()
if os.fork() == 0:
    while True:
        size = int.from_bytes(os.read(_ask_r, 8), "little")
        if not size:
            os._exit(0)
        params, lr = pickle.loads(os.read(_ask_r, size))
        leaves = [torch.nn.Parameter(p) for p, _ in params]
        for leaf, (_, grad) in zip(leaves, params):
            leaf.grad = grad
        torch.optim.SGD(leaves, lr=lr).step()
        reply = pickle.dumps([leaf.detach() for leaf in leaves])
        os.write(_answer_w, len(reply).to_bytes(8, "little") + reply)


def sgd(params, lr, batch_size):
    message = pickle.dumps(([(p.detach(), p.grad / batch_size) for p in params], lr))
    os.write(_ask_w, len(message).to_bytes(8, "little") + message)
    size = int.from_bytes(os.read(_answer_r, 8), "little")
    for param, new in zip(params, pickle.loads(os.read(_answer_r, size))):
        with torch.no_grad():
            param.copy_(new)
        param.grad.zero_()
