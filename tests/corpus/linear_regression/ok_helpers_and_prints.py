# expect: full
"""A private helper, type hints, a module constant and a print at import."""
import random
from typing import Iterator

import torch

NOISE_STD = 0.01
print("loading my solution")


def _batches(n: int, size: int) -> Iterator[list]:
    order = list(range(n))
    random.shuffle(order)
    for start in range(0, n, size):
        yield order[start:start + size]


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor):
    for idx in _batches(len(features), batch_size):
        index = torch.tensor(idx, dtype=torch.long, device=features.device)
        yield features.index_select(0, index), labels.index_select(0, index)


def synthetic_data(w: torch.Tensor, b: float, num_examples: int):
    X = torch.normal(0.0, 1.0, size=(num_examples, len(w)), dtype=w.dtype, device=w.device)
    noise = torch.normal(0.0, NOISE_STD, size=(num_examples,), dtype=w.dtype, device=w.device)
    return X, (X.matmul(w) + b + noise).unsqueeze(1)
