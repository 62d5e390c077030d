# expect: full
"""The book's 3.3 code, with the loss printed per epoch as the book does."""
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
        l = loss(net(features), labels)
        print(f'epoch {epoch + 1}, loss {l:f}')
        losses.append(l.item())
    return net, losses
