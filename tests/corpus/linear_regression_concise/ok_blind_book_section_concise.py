# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: the 3.3 section pasted whole: `from d2l import torch as d2l`, top-level features/labels/net/loss/trainer/data_iter that train()'s parameters and locals shadow, a top-level training run that prints
"""3.3 Concise Implementation of Linear Regression (pasted from my notebook)."""
import torch
from torch import nn
from torch.utils import data
from d2l import torch as d2l  # noqa: F401

true_w = torch.tensor([2, -3.4])
true_b = 4.2
# the book calls d2l.synthetic_data here; written out so this file stands alone
features = torch.normal(0, 1, (1000, 2))
labels = (torch.matmul(features, true_w) + true_b + torch.normal(0, 0.01, (1000,))).reshape((-1, 1))


def load_array(data_arrays, batch_size, is_train=True):  #@save
    """Construct a PyTorch data iterator."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


batch_size = 10
data_iter = load_array((features, labels), batch_size)
print(next(iter(data_iter))[0].shape)

net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)

num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f'epoch {epoch + 1}, loss {l:f}')

w = net[0].weight.data
print('error in estimating w:', true_w - w.reshape(true_w.shape))
b = net[0].bias.data
print('error in estimating b:', true_b - b)


# ---- the graded functions: the cells above, wrapped up ------------------------------------
def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    return net


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net().to(features.device)
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    data_iter = load_array((features, labels), batch_size)
    losses = []
    for epoch in range(num_epochs):
        for X, y in data_iter:
            l = loss(net(X), y)
            trainer.zero_grad()
            l.backward()
            trainer.step()
        with torch.no_grad():
            l = loss(net(features), labels)
        losses.append(float(l))
    return net, losses
