# expect: full
# whole-file
# says: No module named 'torchvision'
# what: imports torchvision and a helper module of the learner's own, downloads Fashion-MNIST and plots at the top level: each of those statements is lost alone
import torch
import torchvision
from torchvision import transforms
import my_plot_helpers
from tools import utils
from torch.utils import data
from torch import nn
from d2l import torch as d2l

mnist_train = torchvision.datasets.FashionMNIST(root="../data", train=True, transform=transforms.ToTensor(),
                                                download=True)
utils.show(mnist_train[0])

true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = d2l.synthetic_data(true_w, true_b, 1000)


def load_array(data_arrays, batch_size, is_train=True):
    """Construct a PyTorch data iterator."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


batch_size = 10
data_iter = load_array((features, labels), batch_size)
print(next(iter(data_iter)))


def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 0.01)
    net[0].bias.data.fill_(0)
    return net


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
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
            losses.append(float(loss(net(features), labels)))
    return net, losses


net, losses = train(features, labels)
d2l.plot(list(range(1, 4)), [losses], xlabel="epoch", ylabel="loss")
d2l.plt.show()
