# expect: fail make_net
"""normal_(0, 1): a standard deviation of 1."""
def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    net[0].weight.data.normal_(0, 1)
    net[0].bias.data.fill_(0)
    return net
