# expect: fail linreg
"""An endless loop that ignores SIGTERM, SIGALRM and SIGINT."""
import signal
def linreg(X, w, b):
    for sig in (signal.SIGTERM, signal.SIGALRM, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        pass
