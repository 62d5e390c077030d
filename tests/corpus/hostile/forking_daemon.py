# expect: zero
# says: a process left running after the import
"""Starts a daemon at import that escapes its session and would run for an hour.
(The processes it leaves running after the import zero every function; the file also tests
that the sandbox contains the processes: none survives the grading run.)"""
import os
import time

_os = os
if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        time.sleep(3600)
    _os._exit(0)
