# expect: fail make_net, train
# whole-file
# what: (blind round 3) make_net initialises the weight but forgets net[0].bias.data.fill_(0) (PyTorch's default uniform bias stays), and train reports the average of the minibatch losses seen during each epoch instead of the loss over all the data after the epoch; load_array is correct.
"""Linear regression, the concise way (d2l 3.3)."""
import torch
from torch import nn
from torch.utils import data


def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    return net


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for epoch in range(num_epochs):
        running, batches = 0.0, 0
        for X, y in load_array((features, labels), batch_size):
            l = loss(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
            running += l.item()
            batches += 1
        losses.append(running / batches)
    return net, losses
