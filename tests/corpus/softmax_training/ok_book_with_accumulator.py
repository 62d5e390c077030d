# expect: full
"""The book's Accumulator class and its evaluate/train loops, adapted to (W, b)."""
class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def evaluate_accuracy(W, b, data_iter):
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X, W, b), y), y.numel())
    return metric[0] / metric[1]


def train_epoch(W, b, train_iter, lr):
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]
