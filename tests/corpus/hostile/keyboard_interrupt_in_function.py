# expect: fail data_iter
"""KeyboardInterrupt raised inside a function."""
def data_iter(batch_size, features, labels):
    raise KeyboardInterrupt("stop")
