# expect: fail data_iter
"""A generator that never stops."""
import torch
def data_iter(batch_size, features, labels):
    while True:
        idx = torch.randint(0, len(features), (batch_size,))
        yield features[idx], labels[idx]
