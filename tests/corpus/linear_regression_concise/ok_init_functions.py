# expect: full
"""nn.init functions, zero_grad after the step, set_to_none gradients."""
def make_net():
    net = nn.Sequential(nn.Linear(2, 1))
    nn.init.normal_(net[0].weight, mean=0.0, std=0.01)
    nn.init.zeros_(net[0].bias)
    return net


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
    loss_fn = nn.MSELoss(reduction="mean")
    opt = torch.optim.SGD(net.parameters(), lr)
    losses = []
    for _ in range(num_epochs):
        for X, y in load_array([features, labels], batch_size, True):
            loss_fn(net(X), y).backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            losses.append(loss_fn(net(features), labels).item())
    return net, losses
