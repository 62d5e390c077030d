# expect: fail linreg
"""Writes its own reply frames onto every pipe it has: an error whose fields have the wrong types,
then exits before the real reply, hoping to crash the grader."""
import json
import os
import struct


def _frame(value):
    head = json.dumps({"value": value, "sizes": []}).encode()
    payload = struct.pack("<Q", len(head)) + head
    return struct.pack("<Q", len(payload)) + payload


def linreg(X, w, b):
    forged = _frame({"__dict__": {"status": "raised", "hits": [{"__list__": [1]}, 7],
                                  "error": {"__dict__": {"type": 5, "message": {"__list__": [1, 2]},
                                                         "frames": "not a list"}}}})
    for fd in range(3, 64):
        try:
            os.write(fd, forged)
        except OSError:
            pass
    os._exit(0)
