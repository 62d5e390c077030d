# expect: full
"""flatten, (y_hat.argmax(1) == y).sum().item(), and the update written out."""
def net(X, W, b):
    return softmax(X.flatten(1) @ W + b)


def accuracy(y_hat, y):
    if y_hat.dim() > 1:
        y_hat = y_hat.argmax(dim=1)
    return (y_hat == y).sum().item()


def train_epoch(W, b, train_iter, lr):
    total_loss, total_right, seen = 0.0, 0, 0
    for X, y in train_iter:
        probs = net(X, W, b)
        loss = cross_entropy(probs, y).sum()
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad / len(y)
            b -= lr * b.grad / len(y)
            W.grad = None
            b.grad = None
        total_loss += loss.item()
        total_right += accuracy(probs.detach(), y)
        seen += len(y)
    return total_loss / seen, total_right / seen
