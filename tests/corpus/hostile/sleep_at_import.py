# expect: full
# says: ran past its time budget
"""Sleeps at import, longer than the start-up limit: the statement is stopped by its own budget, and
the functions around it are graded as usual."""
import time
time.sleep(3600)
