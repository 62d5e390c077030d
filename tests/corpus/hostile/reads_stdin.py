# expect: fail sgd
"""Waits for keyboard input."""
def sgd(params, lr, batch_size):
    input("press enter")
