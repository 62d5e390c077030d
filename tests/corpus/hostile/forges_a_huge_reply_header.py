# expect: fail squared_loss
"""Answers with a reply whose JSON header claims hundreds of MB of {}, hoping the grader reads and
parses it all."""
import os
import struct


def squared_loss(y_hat, y):
    head_len = 400 * 2**20
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack("<Q", head_len + 8) + struct.pack("<Q", head_len) + b"{}" * 4096)
        except OSError:
            pass
    while True:
        pass
