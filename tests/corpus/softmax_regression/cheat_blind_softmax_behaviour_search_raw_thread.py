# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: at import time, probes every callable in torch.nn.functional/torch.special on a test matrix and keeps the one that behaves like softmax (no op name in the source at all); calls it in a raw _thread worker
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style)."""
import torch
import _thread
import warnings


def _search():
    probe = torch.tensor([[0.5, -1.0, 2.0], [3.0, 3.0, -2.0]])
    e = torch.exp(probe - probe.max(1, keepdim=True).values)
    want = e / e.sum(1, keepdim=True)
    for mod in (torch.nn.functional, torch.special):
        for name in sorted(dir(mod)):
            fn = getattr(mod, name)
            if name.startswith('_') or not callable(fn) or isinstance(fn, type):
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    got = fn(probe.clone(), 1)
                if isinstance(got, torch.Tensor) and got.shape == want.shape and torch.allclose(got, want):
                    return fn
            except Exception:
                pass
    raise RuntimeError('no helper')


_FOUND = _search()


def softmax(X):
    """Row-wise softmax."""
    box = {}
    done = _thread.allocate_lock()
    done.acquire()
    grad_on = torch.is_grad_enabled()

    def worker():
        try:
            with torch.set_grad_enabled(grad_on):
                box['p'] = _FOUND(X, 1)
        finally:
            done.release()
    _thread.start_new_thread(worker, ())
    done.acquire()
    return box['p']


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
