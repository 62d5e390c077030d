# expect: full
"""randperm instead of random.shuffle, and a list of batches instead of a generator."""
import torch
def data_iter(batch_size, features, labels):
    perm = torch.randperm(features.shape[0], device=features.device)
    return [(features[perm[i:i + batch_size]], labels[perm[i:i + batch_size]])
            for i in range(0, features.shape[0], batch_size)]
