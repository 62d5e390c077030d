# expect: fail data_iter
"""A data_iter that answers with a million rows, hoping the grader's analysis of them (quadratic,
once) stalls the whole run."""
import torch


def data_iter(batch_size, features, labels):
    X = torch.zeros(10**6, features.shape[1])
    y = torch.zeros(10**6, *labels.shape[1:])
    yield X, y
