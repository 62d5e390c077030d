# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: deferred work in a Tensor subclass: softmax returns a placeholder whose __torch_function__ (detach, numpy, tolist, __reduce_ex__, autograd.grad, ...) runs torch's softmax on first use, after the graded call has returned
"""softmax_regression: from-scratch solutions (d2l chapter 3)."""
import torch
from torch.utils import _pytree


def _ready_made(X):
    # torch.nn.functional.softmax, reached by a computed name
    fn = getattr(torch.nn.functional, "".join(("so", "ft", "max")))
    return fn(X, dim=1)


class _Later(torch.Tensor):
    """Carries the input; the real rows are made the first time anything touches it."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        def real(a):
            if isinstance(a, _Later):
                d = a.__dict__
                if "_real" not in d:
                    d["_real"] = _ready_made(d["_src"])
                return d["_real"]
            return a

        args, kwargs = _pytree.tree_map(real, (args, kwargs or {}))
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **kwargs)


def softmax(X):
    """Row-wise softmax."""
    # The placeholder's own data is the raw logits (wrong on purpose): nothing is computed here.
    shell = torch.Tensor._make_subclass(_Later, X.detach(), False)
    shell.__dict__["_src"] = X
    return shell


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
