# expect: fail sgd
"""os._exit() in the middle of a call."""
import os
def sgd(params, lr, batch_size):
    os._exit(0)
