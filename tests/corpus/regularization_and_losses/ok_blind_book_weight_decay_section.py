# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: the weight-decay section pasted: `from d2l import torch as d2l`, top-level high-dimensional data, init_params/train(lambd) run at import with prints, a top-level `loss` that train()'s parameter shadows, d2l plotting only under __main__
"""Weight decay from scratch (d2l 3.7 / 4.5), plus the robust losses and a stable cross-entropy."""
import torch
from d2l import torch as d2l


def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2


def l1_loss(y_hat, y):
    return torch.abs(y_hat - y.reshape(y_hat.shape))


def huber_loss(y_hat, y, delta=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    a = torch.abs(r)
    return torch.where(a <= delta, r ** 2 / 2, delta * (a - delta / 2))


def log_softmax(X):
    c = X.max(dim=1, keepdim=True).values
    return X - c - torch.log(torch.exp(X - c).sum(dim=1, keepdim=True))


def cross_entropy_from_logits(logits, y):
    return -log_softmax(logits).gather(1, y.reshape(-1, 1)).reshape(-1)


# ---- 3.7.4: high-dimensional linear regression -------------------------------------------
n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05
X_all = torch.normal(0, 1, (n_train + n_test, num_inputs))
y_all = X_all @ true_w + true_b + torch.normal(0, 0.01, (n_train + n_test, 1))
train_data = (X_all[:n_train], y_all[:n_train])
test_data = (X_all[n_train:], y_all[n_train:])


def init_params():
    w = torch.normal(0, 1, size=(num_inputs, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    return [w, b]


def linreg(X, w, b):
    return X @ w + b


loss = lambda y_hat, y: (y_hat - y.reshape(y_hat.shape)) ** 2 / 2  # noqa: E731


def train(lambd, loss=loss, num_epochs=100, lr=0.003):
    w, b = init_params()
    for epoch in range(num_epochs):
        for i in range(0, n_train, batch_size):
            X, y = train_data[0][i:i + batch_size], train_data[1][i:i + batch_size]
            # The L2 norm penalty term has been added, and broadcasting
            # makes `l2_penalty(w)` a vector whose length is `batch_size`
            l = loss(linreg(X, w, b), y) + lambd * l2_penalty(w)
            l.sum().backward()
            with torch.no_grad():
                for p in (w, b):
                    p -= lr * p.grad / batch_size
                    p.grad.zero_()
    with torch.no_grad():
        test_l = float(loss(linreg(*test_data[:1], w, b), test_data[1]).mean())
        w_norm = float(torch.norm(w))
    print(f'lambda = {lambd}: L2 norm of w = {w_norm:.3f}, test loss = {test_l:.4f}')
    return w, b


train(lambd=0)
train(lambd=3)

if __name__ == "__main__":
    d2l.set_figsize()
    d2l.plt.plot(log_softmax(torch.randn(1, 10)).exp().reshape(-1).tolist())
    d2l.plt.show()
