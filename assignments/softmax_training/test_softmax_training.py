"""Public checks for softmax_training.py: run `pytest` in this folder."""
import torch

from softmax_training import accuracy, evaluate_accuracy, net, train_epoch


def test_net_flattens_and_gives_probabilities():
    out = net(torch.ones(3, 2, 2), torch.zeros(4, 5), torch.zeros(5))
    assert out.shape == (3, 5) and torch.allclose(out.sum(1), torch.ones(3))


def test_accuracy_counts():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.5, 0.2, 0.3]])
    assert accuracy(y_hat, torch.tensor([0, 2])) == 0.0
    assert accuracy(y_hat, torch.tensor([2, 0])) == 2.0


def test_evaluate_accuracy_weighs_every_example_once():
    W, b = torch.eye(2), torch.zeros(2)
    batches = [(torch.tensor([[1.0, 0.0], [1.0, 0.0]]), torch.tensor([0, 0])),
               (torch.tensor([[1.0, 0.0]]), torch.tensor([1]))]
    assert abs(evaluate_accuracy(W, b, batches) - 2 / 3) < 1e-6


def test_train_epoch_lowers_the_loss():
    torch.manual_seed(0)
    X = torch.randn(40, 2)
    y = (X[:, 0] > 0).long()
    W = torch.zeros(2, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    batches = [(X[i:i + 8], y[i:i + 8]) for i in range(0, 40, 8)]
    first, _ = train_epoch(W, b, batches, 0.5)
    for _ in range(5):
        last, acc = train_epoch(W, b, batches, 0.5)
    assert last < first and acc > 0.8
