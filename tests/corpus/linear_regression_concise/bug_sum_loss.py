# expect: fail train
"""Sums the loss over the minibatch: steps ten times too big (still converges on the book's data)."""
def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    net = make_net()
    loss = nn.MSELoss(reduction="sum")
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        for X, y in load_array((features, labels), batch_size):
            trainer.zero_grad()
            loss(net(X), y).backward()
            trainer.step()
        losses.append(float(loss(net(features), labels)) / len(labels))
    return net, losses
