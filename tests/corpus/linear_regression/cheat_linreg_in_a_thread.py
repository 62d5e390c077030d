# expect: fail linreg
# says: another thread or process, whose work the grader's watch cannot see (seen while it ran)
# attack: the watch follows the calling thread (torch's mode stacks are per thread): F.linear in another thread went unseen
"""Runs the ready-made linear layer in a thread of its own, and returns what it made."""
import threading

import torch.nn.functional as F


def linreg(X, w, b):
    out = []
    worker = threading.Thread(target=lambda: out.append(F.linear(X, w.T, b)))
    worker.start()
    worker.join()
    return out[0]
