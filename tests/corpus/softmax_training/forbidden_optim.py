# expect: fail train_epoch
"""torch.optim.SGD instead of the from-scratch update."""
def train_epoch(W, b, train_iter, lr):
    opt = torch.optim.SGD([W, b], lr=lr)
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        opt.zero_grad()
        l.mean().backward()
        opt.step()
        loss_sum += float(l.detach().sum())
        correct += accuracy(y_hat, y)
        total += y.numel()
    return loss_sum / total, correct / total
