"""Public checks for softmax_training.py: run `pytest` in this folder."""
import torch

from diagnose import explain, fmt, shape_of
from softmax_training import accuracy, evaluate_accuracy, net, train_epoch


def test_net_flattens_and_gives_probabilities():
    out = net(torch.ones(3, 2, 2), torch.zeros(4, 5), torch.zeros(5))
    assert out.shape == (3, 5), explain(f"net on 3 examples of 2×2 pixels and 5 classes should give shape (3, 5), "
                                        f"got {shape_of(out)}", "Flatten each example: X.reshape((-1, W.shape[0])).")
    assert torch.allclose(out.sum(1), torch.ones(3)), (
        f"each row of net's output should be probabilities summing to 1, got row sums {fmt(out.sum(1))}")


def test_accuracy_counts():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.5, 0.2, 0.3]])
    got = accuracy(y_hat, torch.tensor([0, 2]))
    assert float(got) == 0.0, f"no prediction matches labels [0, 2]: expected 0, got {fmt(got)}"
    got = accuracy(y_hat, torch.tensor([2, 0]))
    assert float(got) == 2.0, explain(f"both predictions match labels [2, 0]: expected 2 (a count), got {fmt(got)}",
                                      "accuracy counts the correct predictions; it does not divide by their number."
                                      if abs(float(got) - 1.0) < 1e-6 else None)


def test_evaluate_accuracy_weighs_every_example_once():
    W, b = torch.eye(2), torch.zeros(2)
    batches = [(torch.tensor([[1.0, 0.0], [1.0, 0.0]]), torch.tensor([0, 0])),
               (torch.tensor([[1.0, 0.0]]), torch.tensor([1]))]
    got = evaluate_accuracy(W, b, batches)
    assert abs(float(got) - 2 / 3) < 1e-6, explain(
        f"2 of 3 examples are right: expected 2/3 = 0.6667, got {fmt(float(got))}",
        "Weigh each example once: sum the correct counts and divide by the total number of examples, not the "
        "mean of the batches' accuracies." if abs(float(got) - 0.5) < 1e-6 else None)
    once = evaluate_accuracy(W, b, (batch for batch in batches))
    assert abs(float(once) - 2 / 3) < 1e-6, explain(
        f"with the same batches given as a generator (as the chapter's data_iter is), expected 2/3, got {fmt(once)}",
        "Go through the minibatches once, counting as you go: a generator cannot be restarted and has no len().")


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
    assert last < first, f"the loss should fall over 6 epochs: first {fmt(float(first))}, last {fmt(float(last))}"
    assert acc > 0.8, f"the training accuracy should pass 0.8 on this easy problem, got {fmt(float(acc))}"
