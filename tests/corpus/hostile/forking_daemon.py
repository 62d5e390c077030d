# expect: full
"""Starts a daemon at import that escapes its session and would run for an hour.
(`_os = os` hides the fork from the grader's reading, which would zero the file: this file
tests that the sandbox contains the processes.)"""
import os
import time

_os = os
if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        time.sleep(3600)
    _os._exit(0)
