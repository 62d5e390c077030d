# expect: full
"""data_iter returns a tuple of (X, y) pairs: any iterable of pairs meets the contract."""
import torch


def data_iter(batch_size, features, labels):
    order = torch.randperm(len(features))
    return tuple((features[order[i:i + batch_size]], labels[order[i:i + batch_size]])
                 for i in range(0, len(features), batch_size))
