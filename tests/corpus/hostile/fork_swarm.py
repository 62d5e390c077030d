# expect: full
"""Starts 60 sleeping processes at import (over the limit of 32 where it is enforced).
(`_os = os` hides the fork from the grader's reading, which would zero the file: this file
tests that the sandbox contains the processes.)"""
import os
import time

_os = os
for _ in range(60):
    try:
        if _os.fork() == 0:
            time.sleep(3600)
            _os._exit(0)
    except OSError:
        break
