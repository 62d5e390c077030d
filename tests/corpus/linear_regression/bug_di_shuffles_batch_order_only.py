# expect: fail data_iter
"""Shuffles the order of the batches, but each batch holds neighbours."""
import random
def data_iter(batch_size, features, labels):
    starts = list(range(0, len(features), batch_size))
    random.shuffle(starts)
    for i in starts:
        yield features[i: i + batch_size], labels[i: i + batch_size]
