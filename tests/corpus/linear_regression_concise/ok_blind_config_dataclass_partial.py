# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: a dataclass config, type hints, functools.partial(torch.optim.SGD, ...), an isinstance(trainer, torch.optim.Optimizer) assert, torch.multiprocessing.set_sharing_strategy, mp.freeze_support() under __main__
"""Concise linear regression with a small config object."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import List, Sequence, Tuple

import torch
import torch.multiprocessing as mp
from torch import nn
from torch.utils import data

torch.multiprocessing.set_sharing_strategy("file_system")


@dataclass
class TrainConfig:
    num_epochs: int = 3
    batch_size: int = 10
    lr: float = 0.03
    history: List[float] = field(default_factory=list)


def load_array(data_arrays: Sequence[torch.Tensor], batch_size: int, is_train: bool = True) -> data.DataLoader:
    return data.DataLoader(data.TensorDataset(*data_arrays), batch_size=batch_size, shuffle=is_train, num_workers=0)


def make_net() -> nn.Sequential:
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    return net


def train(features: torch.Tensor, labels: torch.Tensor, num_epochs: int = 3, batch_size: int = 10,
          lr: float = 0.03) -> Tuple[nn.Sequential, List[float]]:
    cfg = TrainConfig(num_epochs, batch_size, lr)
    net = make_net().to(features.device)
    criterion = nn.MSELoss()
    make_trainer = functools.partial(torch.optim.SGD, lr=cfg.lr)
    trainer = make_trainer(net.parameters())
    assert isinstance(trainer, torch.optim.Optimizer)
    loader = load_array((features, labels), cfg.batch_size, is_train=True)
    for _ in range(cfg.num_epochs):
        for X, y in loader:
            l = criterion(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        with torch.no_grad():
            cfg.history.append(criterion(net(features), labels).item())
    return net, cfg.history


if __name__ == "__main__":
    mp.freeze_support()
    torch.manual_seed(0)
    X = torch.normal(0, 1, (1000, 2))
    y = (X @ torch.tensor([2, -3.4]) + 4.2 + torch.normal(0, 0.01, (1000,))).reshape(-1, 1)
    model, history = train(X, y)
    print(history, model[0].weight.data, model[0].bias.data)
