# expect: fail linreg
"""Right for its first 40 calls, then drops the bias: a check that compares only a sample of the
training steps would miss it; the verification of every step must not."""
_calls = 0


def linreg(X, w, b):
    global _calls
    _calls += 1
    if _calls > 40:
        return torch.matmul(X, w)
    return torch.matmul(X, w) + b
