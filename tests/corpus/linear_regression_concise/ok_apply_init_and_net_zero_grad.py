# expect: full
"""net.apply with an init function, net.zero_grad(), the mean loss by hand."""
def _init(m):
    if isinstance(m, nn.Linear):
        m.weight.data.normal_(0, 0.01)
        m.bias.data.zero_()


def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    net.apply(_init)
    return net


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        for X, y in load_array((features, labels), batch_size):
            net.zero_grad()
            ((net(X) - y) ** 2).mean().backward()
            trainer.step()
        losses.append(float(((net(features) - labels) ** 2).mean()))
    return net, losses
