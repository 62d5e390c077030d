# expect: full
# whole-file
# what: (blind round 3) ported from d2l 1.0's LinearRegressionConcise / Trainer.fit_epoch (a small Module-like class holding net, loss and configure_optimizers; zero_grad, then backward inside `with torch.no_grad()` exactly as 1.0's Trainer does, then step); make_net still returns nn.Sequential(nn.Linear(2, 1)) with the book's init.
"""Linear regression, the concise way, ported back from d2l 1.0's classes."""
import torch
from torch import nn
from torch.utils import data


def load_array(data_arrays, batch_size, is_train=True):
    # d2l 1.0: DataModule.get_tensorloader
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    return net


class _LinearRegressionConcise:
    """What d2l 1.0 calls d2l.LinearRegression (the concise one), minus the plotting."""

    def __init__(self, lr):
        self.lr = lr
        self.net = make_net()

    def forward(self, X):
        return self.net(X)

    def loss(self, y_hat, y):
        fn = nn.MSELoss()
        return fn(y_hat, y)

    def training_step(self, batch):
        return self.loss(self.forward(*batch[:-1]), batch[-1])

    def configure_optimizers(self):
        return torch.optim.SGD(self.net.parameters(), self.lr)


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    model = _LinearRegressionConcise(lr)
    optim = model.configure_optimizers()
    train_dataloader = load_array((features, labels), batch_size, is_train=True)
    losses = []
    for epoch in range(num_epochs):
        # Trainer.fit_epoch
        for batch in train_dataloader:
            loss = model.training_step(batch)
            optim.zero_grad()
            with torch.no_grad():
                loss.backward()
            optim.step()
        with torch.no_grad():
            losses.append(model.loss(model.forward(features), labels).item())
    return model.net, losses
