# expect: fail sgd
# remove: sgd
"""The file has no sgd at all."""
