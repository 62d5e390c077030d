# expect: fail train
"""Skips training: solves the least-squares problem directly and writes it into the net."""
def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
    Xb = torch.cat([features, torch.ones(len(features), 1)], dim=1)
    w = torch.linalg.lstsq(Xb, labels).solution
    net[0].weight.data.copy_(w[:2].T)
    net[0].bias.data.copy_(w[2])
    return net, [0.0] * num_epochs
