# expect: zero
# says: a process left running after the import
"""Starts 60 sleeping processes at import (over the limit of 32 where it is enforced).
(The processes it leaves running after the import zero every function; the file also tests
that the sandbox contains the processes: none survives the grading run.)"""
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
