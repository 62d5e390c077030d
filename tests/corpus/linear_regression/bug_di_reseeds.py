# expect: fail data_iter
"""Re-seeds inside data_iter, so every epoch has the same order."""
import random
import torch
def data_iter(batch_size, features, labels):
    random.seed(42)
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]
