"""Public checks for linear_regression_concise.py: run `pytest` in this folder."""
import torch
from torch import nn

from diagnose import explain, fmt
from linear_regression_concise import load_array, make_net, train


def test_load_array_keeps_the_order_for_evaluation():
    X = torch.arange(10.0).reshape(5, 2)
    y = torch.arange(5.0).reshape(5, 1)
    batches = list(load_array((X, y), 2, is_train=False))
    sizes = [len(b[1]) for b in batches]
    assert sizes == [2, 2, 1], explain(f"5 examples in batches of 2 should give sizes [2, 2, 1], got {sizes}",
                                       "DataLoader(TensorDataset(*data_arrays), batch_size, shuffle=is_train).")
    assert torch.equal(torch.cat([b[0] for b in batches]), X), (
        "with is_train=False the examples should come in their own order (shuffle=is_train)")


def test_load_array_reshuffles_on_every_pass():
    X = torch.arange(50.0).reshape(50, 1)
    loader = load_array((X, torch.zeros(50, 1)), 10, is_train=True)
    first, second = ([int(v) for b in loader for v in b[0].reshape(-1)] for _ in range(2))
    assert sorted(first) == list(range(50)), "one pass should yield each of the 50 examples exactly once"
    # A correct shuffle repeats an order of 50 examples with probability 1/50! (about 3e-65).
    assert first != second, explain(
        "two passes over one loader from load_array(..., is_train=True) came in the same order",
        "The training loop iterates one loader once per epoch: let DataLoader shuffle (shuffle=is_train), "
        "which draws a fresh order on every pass, instead of permuting the data once.")


def test_make_net_is_one_linear_layer_with_a_zero_bias():
    model = make_net()
    assert isinstance(model, nn.Sequential) and isinstance(model[0], nn.Linear), (
        f"make_net() should return nn.Sequential(nn.Linear(2, 1)), got {model!r}")
    assert model[0].weight.shape == (1, 2), f"the layer's weight should have shape (1, 2), got {tuple(model[0].weight.shape)}"
    assert torch.equal(model[0].bias.data, torch.zeros(1)), explain(
        f"the bias should start at 0, got {fmt(model[0].bias.data)}", "net[0].bias.data.fill_(0), as in the book.")


def test_training_recovers_the_parameters():
    torch.manual_seed(0)
    true_w, true_b = torch.tensor([2, -3.4]), 4.2
    X = torch.normal(0, 1, (1000, 2))
    y = (X @ true_w + true_b + torch.normal(0, 0.01, (1000,))).reshape(-1, 1)
    model, epoch_losses = train(X, y)
    assert len(epoch_losses) == 3, f"train should return one loss per epoch (3 epochs), got {len(epoch_losses)}"
    assert epoch_losses[-1] < 1e-3, f"the last epoch's loss should be below 0.001, got {fmt(float(epoch_losses[-1]))}"
    weight = model[0].weight.data.reshape(-1)
    assert torch.allclose(weight, true_w, atol=0.05), f"the weight should be near [2, -3.4], got {fmt(weight)}"
