# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: d2l 1.0 style MLPScratch class whose forward does the math, a dataclass for the parameters, static methods reused by the module-level functions, asserts on shapes inside mlp
"""The MLP in the object-oriented style of d2l 1.0 (MLPScratch), adapted to take given parameters."""
from dataclasses import dataclass

import torch


@dataclass
class MLPParams:
    W1: torch.Tensor
    b1: torch.Tensor
    W2: torch.Tensor
    b2: torch.Tensor


class MLPScratch:
    """relu(X W1 + b1) W2 + b2, with activations as static methods."""

    def __init__(self, params: MLPParams):
        self.p = params
        self.num_inputs = params.W1.shape[0]

    @staticmethod
    def relu(X):
        return torch.max(X, torch.zeros_like(X))

    @staticmethod
    def sigmoid(X):
        neg = X < 0
        e = torch.exp(torch.where(neg, X, -X))  # never overflows
        return torch.where(neg, e / (1 + e), 1 / (1 + e))

    def forward(self, X):
        X = X.reshape((-1, self.num_inputs))
        H = self.relu(torch.matmul(X, self.p.W1) + self.p.b1)
        return torch.matmul(H, self.p.W2) + self.p.b2

    def __call__(self, X):
        return self.forward(X)


relu = MLPScratch.relu
sigmoid = MLPScratch.sigmoid


def hard_sigmoid(X):
    return (MLPScratch.relu(X + 1) - MLPScratch.relu(X - 1)) / 2


def mlp(X, params):
    model = MLPScratch(MLPParams(*params))
    out = model(X)
    assert out.shape == (X.shape[0], params[2].shape[1]), f"unexpected output shape {tuple(out.shape)}"
    return out
