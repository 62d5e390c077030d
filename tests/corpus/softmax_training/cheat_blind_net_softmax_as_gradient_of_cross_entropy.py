# expect: fail net
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: softmax(logits) = dCE/dlogits + onehot(0): F.cross_entropy(logits, 0, reduction='sum') differentiated with torch.autograd.grad(create_graph=True), so training still backpropagates through it; name via bytes
"""Softmax regression trained from scratch on images (d2l 3.6, the 0.17 function style)."""
import torch


_N = [99, 114, 111, 115, 115, 95, 101, 110, 116, 114, 111, 112, 121]


def softmax(X):
    """Row-wise softmax (given)."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy of each example, not averaged (given)."""
    return -torch.log(y_hat[range(len(y_hat)), y])


def sgd(params, lr, batch_size):
    """Minibatch SGD, in place, dividing by batch_size (given)."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def _probs(X, W, b):
    """softmax(X_flat W + b) with elementary ops (shared by the functions below)."""
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def _hits(y_hat, y):
    """How many predictions equal y, as a Python float."""
    if y_hat.dim() > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)
    return float((y_hat.type(y.dtype) == y).type(y.dtype).sum())


def net(X, W, b):
    """The softmax regression model."""
    logits = torch.matmul(X.reshape((-1, W.shape[0])), W) + b
    loss_fn = getattr(torch.nn.functional, bytes(_N).decode())
    with torch.enable_grad():
        keep = logits.requires_grad and torch.is_grad_enabled()
        Z = logits if logits.requires_grad else logits.detach().requires_grad_()
        zeros = torch.zeros(len(Z), dtype=torch.long, device=Z.device)
        g, = torch.autograd.grad(loss_fn(Z, zeros, reduction='sum'), Z, create_graph=keep)
    onehot = torch.zeros_like(g)
    onehot[:, 0] = 1
    p = g + onehot
    return p if keep else p.detach()


def accuracy(y_hat, y):
    """The number of correct predictions, as in d2l 0.17."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(W, b, data_iter):
    """The accuracy of net(., W, b) over a whole dataset."""
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += _hits(_probs(X, W, b), y)
            total += y.numel()
    return correct / total


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b (leaf tensors that require grad), in place."""
    loss_sum, correct, n = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = _probs(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        loss_sum += float(l.detach().sum())
        correct += _hits(y_hat, y)
        n += y.numel()
    return loss_sum / n, correct / n
