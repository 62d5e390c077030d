"""Linear regression, the concise way: PyTorch's data, model, loss and optimizer (d2l 3.3).

Fill in each function below. Run ``pytest`` in this folder to check your work.
"""
import torch
from torch import nn
from torch.utils import data


def load_array(data_arrays, batch_size, is_train=True):
    """A PyTorch data iterator over tensors, as in the book.

    Args:
        data_arrays: a tuple of tensors with the same first dimension, such as (features, labels).
        batch_size: how many examples each minibatch holds.
        is_train: shuffle the examples (in a fresh order on every pass) when True; keep
            their order when False, for evaluation.

    Returns:
        A torch.utils.data.DataLoader over a TensorDataset of data_arrays, yielding
        [X, y] minibatches; the last one is shorter when batch_size does not divide n.

    You may use torch.nn, torch.utils.data and torch.optim here, but not torch.linalg.lstsq,
    torch.linalg.solve, torch.linalg.pinv, torch.linalg.inv, torch.inverse, nor d2l's own
    solutions.
    """
    raise NotImplementedError("load_array: not implemented yet")


def make_net():
    """The model: nn.Sequential(nn.Linear(2, 1)), initialised as the book does.

    Returns:
        The network, with its weight drawn from N(0, 0.01**2) and its bias set to 0
        (net[0].weight.data.normal_(0, 0.01), net[0].bias.data.fill_(0)).

    You may use torch.nn, torch.utils.data and torch.optim here, but not torch.linalg.lstsq,
    torch.linalg.solve, torch.linalg.pinv, torch.linalg.inv, torch.inverse, nor d2l's own
    solutions.
    """
    raise NotImplementedError("make_net: not implemented yet")


def train(features, labels, num_epochs=3, batch_size=10, lr=0.03):
    """Train make_net() on (features, labels) with nn.MSELoss and torch.optim.SGD.

    Each step: compute the loss of a shuffled minibatch from load_array, clear the
    gradients (trainer.zero_grad()), backpropagate, and take a step (trainer.step()).

    Args:
        features: a tensor of shape (n, 2).
        labels: a tensor of shape (n, 1).
        num_epochs: passes over the data.
        batch_size: examples per minibatch.
        lr: the learning rate of torch.optim.SGD.

    Returns:
        (net, losses): the trained network, and the mean loss over all of the data after
        each epoch, a list of num_epochs floats.

    You may use torch.nn, torch.utils.data and torch.optim here, but not torch.linalg.lstsq,
    torch.linalg.solve, torch.linalg.pinv, torch.linalg.inv, torch.inverse, nor d2l's own
    solutions.
    """
    raise NotImplementedError("train: not implemented yet")
