# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: google.colab check, dtype = getattr(torch, DTYPE), gc.collect() after every epoch, nn.init.normal_/zeros_ instead of .data, the epoch loss summed over an evaluation loader (reduction="sum") then divided by n
"""Concise linear regression, with an evaluation pass over the whole data after each epoch."""
import gc
import sys

import torch
from torch import nn
from torch.utils import data

DTYPE = "float32"
dtype = getattr(torch, DTYPE)
ON_COLAB = "google.colab" in sys.modules
EVAL_BATCH = 256 if not ON_COLAB else 1024


def load_array(data_arrays, batch_size, is_train=True):
    """DataLoader over a TensorDataset; reshuffled on every pass when is_train."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size=batch_size, shuffle=is_train)


def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    with torch.no_grad():
        nn.init.normal_(net[0].weight, mean=0.0, std=0.01)
        nn.init.zeros_(net[0].bias)
    return net


def _mean_loss(net, features, labels):
    """Mean squared error over all examples, accumulated batch by batch."""
    total = nn.MSELoss(reduction="sum")
    s = 0.0
    with torch.no_grad():
        for X, y in load_array((features, labels), EVAL_BATCH, is_train=False):
            s += total(net(X), y).item()
    return s / labels.numel()


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net().to(features.device)
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    train_iter = load_array((features, labels), batch_size)
    losses = []
    for _ in range(num_epochs):
        for X, y in train_iter:
            l = loss(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        losses.append(_mean_loss(net, features, labels))
        gc.collect()
    return net, losses


if ON_COLAB:  # pragma: no cover
    print("tip: Runtime > Change runtime type has no effect here, this runs on the CPU")
