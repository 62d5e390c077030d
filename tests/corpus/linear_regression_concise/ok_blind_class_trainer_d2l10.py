# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: d2l 1.0 style classes (a DataModule-like holder and a Trainer with fit/fit_epoch), an isinstance(optim, torch.optim.Optimizer) branch like train_epoch_ch3, nested closures
"""Concise linear regression organised the d2l 1.0 way: data module, model, trainer."""
import torch
from torch import nn
from torch.utils import data


def load_array(data_arrays, batch_size, is_train=True):
    return data.DataLoader(data.TensorDataset(*data_arrays), batch_size, shuffle=is_train)


def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    return net


class TensorData:
    """Keeps the tensors and hands out loaders."""

    def __init__(self, features, labels, batch_size):
        self.features, self.labels, self.batch_size = features, labels, batch_size

    def train_dataloader(self):
        return load_array((self.features, self.labels), self.batch_size, is_train=True)


class Trainer:
    def __init__(self, max_epochs):
        self.max_epochs = max_epochs
        self.epoch_losses = []

    def fit(self, model, loss, optim, dm):
        self.model, self.loss, self.optim, self.dm = model, loss, optim, dm
        self.train_dataloader = dm.train_dataloader()
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()
        return self

    def _update(self, l):
        if isinstance(self.optim, torch.optim.Optimizer):
            self.optim.zero_grad()
            l.backward()
            self.optim.step()
        else:  # a hand-written updater taking the batch size (not used here)
            l.sum().backward()
            self.optim(self.dm.batch_size)

    def fit_epoch(self):
        for X, y in self.train_dataloader:
            self._update(self.loss(self.model(X), y))
        with torch.no_grad():
            self.epoch_losses.append(float(self.loss(self.model(self.dm.features), self.dm.labels)))


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net().to(features.device)
    trainer = Trainer(num_epochs).fit(net, nn.MSELoss(), torch.optim.SGD(net.parameters(), lr=lr),
                                      TensorData(features, labels, batch_size))
    return net, trainer.epoch_losses
