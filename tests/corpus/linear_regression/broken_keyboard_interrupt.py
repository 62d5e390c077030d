# expect: fail sgd
"""KeyboardInterrupt raised inside a function."""
def sgd(params, lr, batch_size):
    raise KeyboardInterrupt
