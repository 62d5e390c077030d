# expect: full
"""numpy's permutation for the order."""
import numpy as np
import torch
def data_iter(batch_size, features, labels):
    order = np.random.permutation(len(features))
    for start in range(0, len(order), batch_size):
        idx = torch.from_numpy(order[start:start + batch_size]).to(features.device)
        yield features[idx], labels[idx]
