# expect: fail train
"""Clears the gradients once per epoch, not once per step."""
def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
    loss = nn.MSELoss()
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        trainer.zero_grad()
        for X, y in load_array((features, labels), batch_size):
            loss(net(X), y).backward()
            trainer.step()
        losses.append(float(loss(net(features), labels)))
    return net, losses
