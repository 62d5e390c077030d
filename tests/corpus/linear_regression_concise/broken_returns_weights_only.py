# expect: fail train
"""Returns the weight tensor, not (net, losses)."""
def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(num_epochs):
        for X, y in load_array((features, labels), batch_size):
            trainer.zero_grad()
            loss(net(X), y).backward()
            trainer.step()
    return net[0].weight.data
