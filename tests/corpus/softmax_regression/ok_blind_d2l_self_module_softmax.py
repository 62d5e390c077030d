# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: `d2l = sys.modules[__name__]` with d2l.-style aliases, gc.collect(), torch.multiprocessing.set_sharing_strategy, mp.freeze_support() under __main__, a one-time f-string print of a tensor inside cross_entropy
"""Softmax regression helpers in the layout of the d2l package source."""
import sys
d2l = sys.modules[__name__]

import gc

import torch
import torch.multiprocessing as mp

torch.multiprocessing.set_sharing_strategy("file_system")

exp = torch.exp
log = torch.log
reduce_sum = lambda x, *args, **kwargs: x.sum(*args, **kwargs)  # noqa: E731


def softmax(X):
    """Row-wise softmax (rows shifted by their maximum first)."""
    X_exp = d2l.exp(X - X.max(dim=1, keepdim=True).values)
    partition = d2l.reduce_sum(X_exp, 1, keepdims=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    """-log of the probability of the true class, per example."""
    out = -d2l.log(y_hat[torch.arange(len(y_hat), device=y_hat.device), y])
    if not getattr(cross_entropy, "_shown", False):
        cross_entropy._shown = True
        print(f"cross_entropy: first call on {len(y)} examples, first loss {out[:1].detach()}")
    return out


gc.collect()

if __name__ == "__main__":
    mp.freeze_support()
    print(d2l.softmax(torch.randn(2, 3)))
