# expect: full
"""Tries to kill its parent, its process group and every process it may signal; then works correctly."""
import os
import signal
def linreg(X, w, b):
    for target in (os.getppid(), 1):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    os.killpg(0, signal.SIGKILL)
    return X @ w + b
