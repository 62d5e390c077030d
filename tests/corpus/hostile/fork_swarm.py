# expect: full
"""Starts 60 sleeping processes at import (over the limit of 32 where it is enforced)."""
import os
import time
for _ in range(60):
    try:
        if os.fork() == 0:
            time.sleep(3600)
            os._exit(0)
    except OSError:
        break
