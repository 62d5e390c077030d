"""Public checks for linear_regression_concise.py: run `pytest` in this folder."""
import torch
from torch import nn

from linear_regression_concise import load_array, make_net, train


def test_load_array_keeps_the_order_for_evaluation():
    X = torch.arange(10.0).reshape(5, 2)
    y = torch.arange(5.0).reshape(5, 1)
    batches = list(load_array((X, y), 2, is_train=False))
    assert [len(b[1]) for b in batches] == [2, 2, 1]
    assert torch.equal(torch.cat([b[0] for b in batches]), X)


def test_make_net_is_one_linear_layer_with_a_zero_bias():
    model = make_net()
    assert isinstance(model, nn.Sequential) and isinstance(model[0], nn.Linear)
    assert model[0].weight.shape == (1, 2) and torch.equal(model[0].bias.data, torch.zeros(1))


def test_training_recovers_the_parameters():
    torch.manual_seed(0)
    true_w, true_b = torch.tensor([2, -3.4]), 4.2
    X = torch.normal(0, 1, (1000, 2))
    y = (X @ true_w + true_b + torch.normal(0, 0.01, (1000,))).reshape(-1, 1)
    model, epoch_losses = train(X, y)
    assert len(epoch_losses) == 3 and epoch_losses[-1] < 1e-3
    assert torch.allclose(model[0].weight.data.reshape(-1), true_w, atol=0.05)
