# expect: full
"""torch.split of the permuted indices."""
import torch
def data_iter(batch_size, features, labels):
    order = torch.randperm(len(features))
    for idx in torch.split(order, batch_size):
        yield features[idx], labels[idx]
