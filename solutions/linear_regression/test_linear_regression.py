"""Public checks for linear_regression.py: run `pytest` in this folder.

They test the contract in each docstring on small inputs whose answers you can work
out by hand. Passing them is a good sign; the graded checks test more cases.
"""
import torch

from diagnose import batch_sizes_hint, explain, fmt, noise_hint, sgd_update, shape_of, squared_loss_hint
from linear_regression import data_iter, linreg, sgd, squared_loss, synthetic_data


def test_synthetic_data_shapes():
    X, y = synthetic_data(torch.tensor([2.0, -3.4]), 4.2, 7)
    assert X.shape == (7, 2), f"X should have shape (7, 2) for 7 examples and 2 weights, got {tuple(X.shape)}"
    assert y.shape == (7, 1), f"y should have shape (7, 1), got {tuple(y.shape)} (reshape it with y.reshape((-1, 1)))"


def test_synthetic_data_follows_the_model():
    torch.manual_seed(0)
    w = torch.tensor([2.0, -3.4])
    X, y = synthetic_data(w, 4.2, 2000)
    residual = y.reshape(-1) - (X @ w + 4.2)
    # For 2000 draws, a correct sampler keeps these within the bounds with probability
    # > 1 - 1e-11: the sample std of N(0, s^2) noise lies in [0.883 s, 1.122 s] (chi-square
    # Chernoff bound), and the mean of N(0, 1) features within ±0.16 (Gaussian tail).
    std = residual.pow(2).mean().sqrt().item()
    assert 0.00883 < std < 0.01122, explain(f"y − (Xw + b) should be noise with std 0.01, got std {std:.3g}",
                                            noise_hint(std))
    assert abs(X.mean().item()) < 0.16, f"X should be drawn from N(0, 1), its mean was {X.mean().item():.3f}"
    assert 0.88 < X.std().item() < 1.13, f"X should be drawn from N(0, 1), its std was {X.std().item():.3f}"


def _coded(n):
    ids = torch.arange(n, dtype=torch.float32)
    return torch.stack([ids, -ids], 1), (100 + ids).reshape(-1, 1)


def test_data_iter_yields_every_example_once_with_its_label():
    features, labels = _coded(23)
    batches = list(data_iter(5, features, labels))
    sizes = [len(X) for X, _ in batches]
    assert sorted(sizes, reverse=True) == [5, 5, 5, 5, 3], explain(
        f"23 examples in batches of 5 should give sizes 5, 5, 5, 5, 3 (the last batch shorter), got {sizes}",
        batch_sizes_hint(sizes, 23))
    seen = sorted(int(i) for X, _ in batches for i in X[:, 0])
    assert seen == list(range(23)), f"every example should appear exactly once, got {seen}"
    for X, y in batches:
        assert torch.equal(y.reshape(-1) - 100, X[:, 0]), "each feature row should keep its own label"


def test_data_iter_shuffles():
    features, labels = _coded(100)
    first = [int(i) for X, _ in data_iter(10, features, labels) for i in X[:, 0]]
    second = [int(i) for X, _ in data_iter(10, features, labels) for i in X[:, 0]]
    assert first != list(range(100)), "the examples should come in a random order, not 0, 1, 2, …"
    assert first != second, "each call of data_iter should shuffle again"


def test_linreg_by_hand():
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    w = torch.tensor([[1.0], [-1.0]])
    b = torch.tensor([0.5])
    out = linreg(X, w, b)
    assert out.shape == (2, 1), f"linreg should return shape (2, 1), got {shape_of(out)}"
    assert torch.allclose(out, torch.tensor([[-0.5], [-0.5]])), explain(
        f"expected [[-0.5], [-0.5]], got {fmt(out)}",
        "Add the bias b." if torch.allclose(out, X @ w) else None)


def test_squared_loss_by_hand():
    y_hat = torch.tensor([[1.0], [2.0], [4.0]])
    y = torch.tensor([1.0, 3.0, 2.0])
    loss = squared_loss(y_hat, y)
    expected = torch.tensor([[0.0], [0.5], [2.0]])
    assert loss.shape == (3, 1), explain(
        f"with y of shape (3,), the loss should still have y_hat's shape (3, 1), got {shape_of(loss)}",
        squared_loss_hint(loss, expected))
    assert torch.allclose(loss, expected), explain(
        f"expected (y_hat − y)²/2 = [[0], [0.5], [2]], got {fmt(loss)}", squared_loss_hint(loss, expected))


def _params():
    w = torch.tensor([[1.0], [2.0]], requires_grad=True)
    w.grad = torch.tensor([[0.5], [1.0]])
    return w


def _update_problem(lr, batch_size):
    w = _params()
    before, grad = w.detach().clone(), w.grad.clone()
    sgd([w], lr, batch_size)
    diagnosis = sgd_update(before, w.detach(), grad, lr, batch_size)
    if diagnosis is None:
        return w, None
    what, hint = diagnosis
    return w, explain(f"after sgd([w], lr={lr}, batch_size={batch_size}), {what}", hint)


def test_sgd_by_hand():
    w, problem = _update_problem(0.1, 5)  # 1 − 0.1·0.5/5 = 0.99 and 2 − 0.1·1/5 = 1.98
    assert problem is None, problem
    assert w.grad is None or not w.grad.abs().sum(), "sgd should clear the gradient after the update"
    assert w.is_leaf and w.requires_grad, "w should stay a leaf tensor that requires grad"


def test_sgd_uses_the_batch_size_it_is_given():
    _, problem = _update_problem(0.3, 3)  # a short batch of 3 and lr 0.3: 1 − 0.3·0.5/3 = 0.95
    assert problem is None, problem


def test_training_recovers_the_parameters():
    torch.manual_seed(1)
    true_w, true_b = torch.tensor([2.0, -3.4]), 4.2
    features, labels = synthetic_data(true_w, true_b, 1000)
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for epoch in range(3):
        for X, y in data_iter(10, features, labels):
            squared_loss(linreg(X, w, b), y).sum().backward()
            sgd([w, b], 0.03, 10)
    assert (w.reshape(-1) - true_w).abs().max() < 0.05 and abs(b.item() - true_b) < 0.05, (
        f"after 3 epochs expected w ≈ [2, -3.4] and b ≈ 4.2, got w = {fmt(w.reshape(-1))}, b = {b.item():.4g}")
