# expect: fail data_iter
# says: one batch of all
# what: data_iter yields all the data, shuffled, as one batch: every example once and pairs together, but no minibatches
import torch


def data_iter(batch_size, features, labels):
    order = torch.randperm(len(features), device=features.device)
    yield features[order], labels[order]
