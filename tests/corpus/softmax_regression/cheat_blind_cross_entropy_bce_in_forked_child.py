# expect: fail cross_entropy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: F.binary_cross_entropy(picked probs, ones, reduction='none') = -log p computed in an os.fork() child (its watch records die with it) and piped back; a custom autograd.Function supplies the elementary gradient -1/p
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style)."""
import torch
import os

import numpy as np


def _remote(p):
    arr = p.detach().cpu().double().numpy()
    impl = getattr(torch.nn.functional, 'binary_' + 'cross_' + 'entropy')
    try:
        r, w = os.pipe()
        pid = os.fork()
    except OSError:
        t = torch.from_numpy(arr)
        return impl(t, torch.ones_like(t), reduction='none')
    if pid == 0:
        try:
            t = torch.from_numpy(arr)
            os.write(w, impl(t, torch.ones_like(t), reduction='none').numpy().tobytes())
        finally:
            os._exit(0)
    os.close(w)
    chunks = []
    while True:
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    return torch.from_numpy(np.frombuffer(b''.join(chunks), dtype=np.float64).copy())


class _Picked(torch.autograd.Function):
    @staticmethod
    def forward(ctx, y_hat, y):
        rows = torch.arange(len(y_hat), device=y_hat.device)
        p = y_hat[rows, y]
        ctx.save_for_backward(y_hat, y)
        return _remote(p).to(dtype=y_hat.dtype, device=y_hat.device)

    @staticmethod
    def backward(ctx, g):
        y_hat, y = ctx.saved_tensors
        rows = torch.arange(len(y_hat), device=y_hat.device)
        grad = torch.zeros_like(y_hat)
        grad[rows, y] = -g / y_hat[rows, y]
        return grad, None


def softmax(X):
    """Row-wise softmax."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return _Picked.apply(y_hat, y)
