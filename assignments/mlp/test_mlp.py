"""Public checks for mlp.py: run `pytest` in this folder."""
import torch

from diagnose import expect_close
from mlp import hard_sigmoid, mlp, relu, sigmoid


def test_relu_by_hand():
    expect_close(relu(torch.tensor([-2.0, 0.0, 3.0])), torch.tensor([0.0, 0.0, 3.0]), "relu([-2, 0, 3])")


def test_sigmoid_by_hand():
    expect_close(sigmoid(torch.tensor([0.0, 100.0])), torch.tensor([0.5, 1.0]), "sigmoid([0, 100])")


def test_hard_sigmoid_by_hand():
    x = torch.tensor([-3.0, -1.0, 0.0, 0.5, 1.0, 4.0])
    expect_close(hard_sigmoid(x), torch.tensor([0.0, 0.0, 0.5, 0.75, 1.0, 1.0]), "hard_sigmoid([-3, -1, 0, 0.5, 1, 4])",
                 "hard_sigmoid(x) is relu(x + 1) − relu(x − 1), halved: 0 below −1, 1 above 1, a line between.")


def test_mlp_shapes():
    params = [torch.ones(4, 3), torch.zeros(3), torch.ones(3, 2), torch.zeros(2)]
    expect_close(mlp(torch.ones(5, 2, 2), params), torch.full((5, 2), 12.0),
                 "mlp(X, [W1, b1, W2, b2]) with X of ones (5, 2, 2), W1 ones (4, 3), W2 ones (3, 2), zero biases",
                 "Flatten each example first, X.reshape(-1, W1.shape[0]); then relu(X W1 + b1) W2 + b2.")
