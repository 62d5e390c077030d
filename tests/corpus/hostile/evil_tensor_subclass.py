# expect: fail linreg
"""Returns a tensor subclass whose comparisons always say yes, with wrong values."""
import torch
class Agreeable(torch.Tensor):
    def __eq__(self, other):
        return True
    def __reduce_ex__(self, protocol):
        import os
        os_ = os  # hidden from the reading, which would zero the file: the grader must never pickle it
        os_.system("touch /tmp/pwned-by-hostile")
        return super().__reduce_ex__(protocol)
def linreg(X, w, b):
    return torch.zeros(X.shape[0], 1).as_subclass(Agreeable)
