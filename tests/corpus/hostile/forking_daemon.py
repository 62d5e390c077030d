# expect: full
"""Starts a daemon at import that escapes its session and would run for an hour."""
import os
import time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(3600)
    os._exit(0)
