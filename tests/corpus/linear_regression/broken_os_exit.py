# expect: fail squared_loss
"""os._exit() kills the process in the middle of a call."""
import os
def squared_loss(y_hat, y):
    os._exit(3)
