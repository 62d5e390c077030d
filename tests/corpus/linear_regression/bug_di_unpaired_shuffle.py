# expect: fail data_iter
"""Shuffles features and labels with two different permutations."""
import torch
def data_iter(batch_size, features, labels):
    n = len(features)
    f_idx, l_idx = torch.randperm(n), torch.randperm(n)
    for i in range(0, n, batch_size):
        yield features[f_idx[i: i + batch_size]], labels[l_idx[i: i + batch_size]]
