"""Public checks for mlp.py: run `pytest` in this folder."""
import torch

from mlp import hard_sigmoid, mlp, relu, sigmoid


def test_relu_by_hand():
    assert torch.equal(relu(torch.tensor([-2.0, 0.0, 3.0])), torch.tensor([0.0, 0.0, 3.0]))


def test_sigmoid_by_hand():
    assert torch.allclose(sigmoid(torch.tensor([0.0, 100.0])), torch.tensor([0.5, 1.0]))


def test_hard_sigmoid_by_hand():
    x = torch.tensor([-3.0, -1.0, 0.0, 0.5, 1.0, 4.0])
    assert torch.allclose(hard_sigmoid(x), torch.tensor([0.0, 0.0, 0.5, 0.75, 1.0, 1.0]))


def test_mlp_shapes():
    params = [torch.ones(4, 3), torch.zeros(3), torch.ones(3, 2), torch.zeros(2)]
    out = mlp(torch.ones(5, 2, 2), params)
    assert out.shape == (5, 2)
    assert torch.allclose(out, torch.full((5, 2), 12.0))
