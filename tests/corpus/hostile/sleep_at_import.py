# expect: zero
"""Sleeps at import, longer than the start-up limit."""
import time
time.sleep(3600)
