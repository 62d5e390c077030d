# expect: fail data_iter
"""Shuffles the indices, then slices the features in order anyway."""
import random
def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        yield features[i: i + batch_size], labels[i: i + batch_size]
