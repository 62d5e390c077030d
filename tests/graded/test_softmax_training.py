"""Graded checks for softmax_training.py (hidden from students: they use the reference).

The training check uses scikit-learn's 8×8 digits, which ship inside the scikit-learn package:
nothing is downloaded. The data stay on the grader's side; the student process receives
minibatches as tensors.
"""
import math

import torch

from autograder.checks.api import LossCurve
from autograder.checks import OnePass, fail, graded
from autograder.checks.helpers import close, expect_device, expect_tensor, fmt, kind_of, shape_of
from autograder.sandbox.errors import StudentRaised

DIGITS_EPOCHS, DIGITS_LR, DIGITS_BATCH = 5, 0.5, 32
# Five epochs of the reference reach 0.94–0.96 test accuracy over seeds 0–4 (the run is
# deterministic for a given seed); 0.85 leaves a wide margin for correct variants.
DIGITS_THRESHOLD = 0.85


def _number(value, call):
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value.reshape(()).item())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    fail(f"{call} returned {kind_of(value)}; expected a number.", "Return a Python float, such as float(...).")


# ---------------------------------------------------------------- net
@graded("net")
def test_net_values(student, ref, ctx):
    """net(X, W, b) is softmax(X_flat W + b): probabilities of shape (n, q), inputs flattened."""
    for x_shape, (d, q) in (((5, 8, 8), (64, 10)), ((3, 4), (4, 3)), ((1, 2, 3), (6, 2))):
        X, W, b = ctx.randn(*x_shape, salt=f"nx{x_shape}"), ctx.randn(d, q, salt=f"nw{d}"), ctx.randn(q, salt=f"nb{q}")
        call = f"net(X, W, b) with X of shape {x_shape}, W {d}×{q}"
        got = expect_tensor(student.net(X, W, b), call, f"a tensor of shape ({x_shape[0]}, {q})")
        expect_device(got, ctx.device, call)
        want = ref.net(X, W, b)
        if got.shape == want.shape and close(got, want, 1e-5, 1e-6):
            continue
        if got.shape != want.shape:
            fail(f"{call} returned {shape_of(got)}; expected {tuple(want.shape)}.",
                 "Flatten each example first: X.reshape((-1, W.shape[0])).")
        logits = X.reshape(-1, d) @ W + b
        if close(got, logits, 1e-5, 1e-6):
            fail(f"{call} returned raw scores {fmt(got)}; expected probabilities {fmt(want)}.",
                 "Apply softmax to X W + b, so that each row sums to 1.")
        if close(got, ref.softmax(X.reshape(-1, d) @ W), 1e-5, 1e-6):
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.", "Add the bias b before the softmax.")
        fail(f"{call} returned {fmt(got)}; expected softmax(X_flat W + b) = {fmt(want)}.")


# ---------------------------------------------------------------- accuracy
@graded("accuracy", public=True)
def test_accuracy_counts_correct_predictions(student, ref, ctx):
    """accuracy counts correct predictions (a count, as in d2l 0.17) from probabilities or classes."""
    cases = [(ctx.tensor([[0.1, 0.3, 0.6], [0.5, 0.2, 0.3], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4]]),
              ctx.tensor([2, 1, 1, 0], dtype=torch.int64), 2.0),
             (ctx.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), ctx.tensor([0, 1, 0], dtype=torch.int64), 3.0),
             (ctx.tensor([1, 0, 2, 2, 1], dtype=torch.int64), ctx.tensor([1, 1, 2, 0, 1], dtype=torch.int64), 3.0)]
    for y_hat, y, want in cases:
        call = f"accuracy(y_hat, y) with y_hat = {fmt(y_hat)} and y = {y.tolist()}"
        got = _number(student.accuracy(y_hat, y), call)
        if got == want:
            continue
        if abs(got - want / len(y)) < 1e-6:
            fail(f"{call} returned the fraction {got:.4g}; expected the count {want:g}.",
                 "In d2l 0.17, accuracy counts; evaluate_accuracy divides by the number of examples.")
        fail(f"{call} returned {got:g}; expected {want:g} correct predictions.",
             "Predict each row's most likely class, y_hat.argmax(axis=1), then count where it equals y.")


@graded("accuracy", advisory=True, public=True)
def test_accuracy_returns_a_python_number(student, ref, ctx):
    """Advisory: accuracy returns a Python number, as the docstring asks, not a tensor."""
    y_hat = ctx.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    got = student.accuracy(y_hat, ctx.tensor([1, 1, 1], dtype=torch.int64))
    # An int from .item() is as good as a float here; a one-element tensor is what this is about.
    if isinstance(got, torch.Tensor):
        fail(f"accuracy(y_hat, y) returned {kind_of(got)}; the docstring asks for a Python float.",
             "Return float(...) of the count, as d2l 0.17 does: a tensor keeps its device, so the sums "
             "your callers build stay on the GPU, and printing it shows tensor(2.) instead of 2.0.")


# ---------------------------------------------------------------- evaluate_accuracy
@graded("evaluate_accuracy", "accuracy", "net")
def test_evaluate_accuracy_weighs_every_example_once(student, ref, ctx):
    """Over minibatches of sizes 4, 4 and 1, the accuracy is correct over all 9 examples, not a mean of means."""
    W, b = torch.eye(3, device=ctx.device), torch.zeros(3, device=ctx.device)
    X = torch.eye(3, device=ctx.device)[[0, 1, 2, 0, 0, 1, 2, 1, 2]]
    y = ctx.tensor([0, 1, 2, 0, 0, 2, 0, 0, 0], dtype=torch.int64)  # batches: 4/4, 1/4, 0/1 right
    batches = [(X[:4], y[:4]), (X[4:8], y[4:8]), (X[8:], y[8:])]
    call = "evaluate_accuracy(W, b, batches) with batches of 4, 4 and 1 examples (5 of 9 right)"
    got = _number(student.evaluate_accuracy(W, b, batches), call)
    want = 5 / 9
    if abs(got - want) < 1e-6:
        _expect_one_pass(ctx, "evaluate_accuracy", (W, b), batches, (), lambda result: result, want, call)
        return
    if abs(got - (1 + 0.25 + 0) / 3) < 1e-6:
        fail(f"{call} returned {got:.4g}, the mean of the three minibatches' accuracies; expected {want:.4g}.",
             "A short last batch must count for its size: add up correct predictions and examples, then divide.")
    if abs(got - 5 / 3) < 1e-6 or abs(got - 5) < 1e-6:
        fail(f"{call} returned {got:.4g}; expected {want:.4g}.",
             "Divide the correct predictions by the number of examples (y.numel() summed over batches).")
    fail(f"{call} returned {got:.4g}; expected {want:.4g} (5 of 9).")


def _expect_one_pass(ctx, fn, before, batches, after, pick, want, call):
    """The same call with the batches as a one-pass iterator (the chapter's data_iter is a generator)
    must give the same number; code that goes through them twice finds them empty the second time."""
    one_pass = call.replace("batches", "a generator of the batches", 1)
    try:
        got = ctx.session.call(fn, *before, OnePass(batches), *after)
    except StudentRaised as raised:
        got = f"raised {raised.error.type}: {raised.error.message[:200]}"
    value = pick(got) if not isinstance(got, str) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(float(value) - want) < 1e-6:
        return
    fail(f"{one_pass} {got if isinstance(got, str) else f'returned {value!r}'}; with a list of the same batches "
         f"it gave {want:.4g}.",
         f"Go through the minibatches once, counting as you go: a generator cannot be restarted, and has no len(), "
         f"so a second pass over {fn}'s iterable finds nothing.")


# ---------------------------------------------------------------- train_epoch
def _train_once(student, ref, ctx, sizes, lr, salt):
    n, d, q = sum(sizes), 6, 3
    X, y = ctx.randn(n, d, salt=f"tx{salt}"), ctx.randint(q, (n,), salt=f"ty{salt}")
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    batches = [(X[s:s + k], y[s:s + k]) for s, k in zip(starts, sizes)]
    W0, b0 = 0.1 * ctx.randn(d, q, salt=f"tw{salt}"), torch.zeros(q, device=ctx.device)
    W, b = W0.clone().requires_grad_(True), b0.clone().requires_grad_(True)
    call = f"train_epoch(W, b, batches, lr={lr}) with minibatches of sizes {sizes}"
    got = student.train_epoch(W, b, batches, lr)
    rW, rb = W0.clone().requires_grad_(True), b0.clone().requires_grad_(True)
    want = ref.train_epoch(rW, rb, batches, lr)
    return call, got, want, (W, b), (rW, rb), (W0, b0, batches)


@graded("train_epoch", "net", "accuracy")
def test_train_epoch_steps_a_short_batch_by_its_length(student, ref, ctx):
    """W and b after an epoch of batches 10, 10 and 3 match the reference: the last step divides by 3."""
    call, got, want, (W, b), (rW, rb), (W0, b0, batches) = _train_once(student, ref, ctx, (10, 10, 3), 0.1, "short")
    if close(W, rW, 1e-4, 1e-6) and close(b, rb, 1e-4, 1e-6):
        return
    if close(W, W0) and close(b, b0):
        fail(f"After {call}, W and b had not changed.",
             "Update W and b in place (sgd([W, b], lr, len(y))), not copies of them.")
    fixed_W, fixed_b = W0.clone().requires_grad_(True), b0.clone().requires_grad_(True)
    for X, y in batches:
        ref.cross_entropy(ref.net(X, fixed_W, fixed_b), y).sum().backward()
        ref.sgd([fixed_W, fixed_b], 0.1, 10)
    if close(W, fixed_W, 1e-4, 1e-6) and close(b, fixed_b, 1e-4, 1e-6):
        fail(f"After {call}, W and b match an update that divided the last batch of 3 by 10.",
             "Pass each batch's real length to the updater: sgd([W, b], lr, len(y)), not a fixed batch size.")
    fail(f"After {call}, b = {fmt(b)}; expected {fmt(rb)}.",
         "Each step: l = cross_entropy(net(X, W, b), y); l.sum().backward(); sgd([W, b], lr, len(y)).")


@graded("train_epoch", "net", "accuracy")
def test_train_epoch_reports_the_epochs_mean_loss_and_accuracy(student, ref, ctx):
    """train_epoch returns (loss, accuracy) over all of the epoch's examples."""
    call, got, want, _, _, start = _train_once(student, ref, ctx, (8, 8, 2), 0.05, "report")
    if not (isinstance(got, (list, tuple)) and len(got) == 2):
        fail(f"{call} returned {kind_of(got)}; expected (mean loss, accuracy).",
             "End with `return loss_sum / total, correct / total`.")
    loss, acc = _number(got[0], call), _number(got[1], call)
    if abs(loss - want[0]) < 1e-4 * max(1.0, abs(want[0])) and abs(acc - want[1]) < 1e-6:
        W0, b0, batches = start
        W, b = W0.clone().requires_grad_(True), b0.clone().requires_grad_(True)
        pick = lambda result: result[1] if isinstance(result, (list, tuple)) and len(result) == 2 else None  # noqa: E731
        _expect_one_pass(ctx, "train_epoch", (W, b), batches, (0.05,), pick, want[1], call)
        return
    fail(f"{call} returned (loss {loss:.5g}, accuracy {acc:.4g}); expected ({want[0]:.5g}, {want[1]:.4g}).",
         "Sum the per-example losses and the correct predictions over the epoch, and divide both by the "
         "number of examples: a mean of the minibatches' means counts the short batch too much.")


def _digits(device):
    from sklearn.datasets import load_digits
    digits = load_digits()
    X = torch.tensor(digits.images, dtype=torch.float32) / 16
    y = torch.tensor(digits.target, dtype=torch.int64)
    return X.to(device), y.to(device)


@graded("train_epoch", "net", "accuracy", "evaluate_accuracy")
def test_training_on_digits_reaches_the_accuracy(student, ref, ctx):
    """Five epochs of your train_epoch on scikit-learn's 8×8 digits reach a test accuracy above 0.85."""
    X, y = _digits(ctx.device)
    g = ctx.generator("digits")
    perm = torch.randperm(len(X), generator=g).to(ctx.device)
    train, test = perm[:1437], perm[1437:]
    W = (0.01 * torch.randn(64, 10, generator=g)).to(ctx.device).requires_grad_(True)
    b = torch.zeros(10, device=ctx.device, requires_grad=True)
    rW, rb = W.detach().clone().requires_grad_(True), b.detach().clone().requires_grad_(True)
    losses, book = [], []
    for epoch in range(DIGITS_EPOCHS):
        order = train[torch.randperm(len(train), generator=g).to(ctx.device)]
        batches = [(X[order[i:i + DIGITS_BATCH]], y[order[i:i + DIGITS_BATCH]]) for i in range(0, len(order), DIGITS_BATCH)]
        got = student.train_epoch(W, b, batches, DIGITS_LR)
        if not (isinstance(got, (list, tuple)) and len(got) == 2):
            fail(f"train_epoch returned {kind_of(got)}; expected (mean loss, accuracy).",
                 "End with `return loss_sum / total, correct / total`.")
        losses.append(_number(got[0], "train_epoch"))
        book.append(float(ref.train_epoch(rW, rb, batches, DIGITS_LR)[0]))
    with torch.no_grad():
        acc = ref.evaluate_accuracy(W.detach(), b.detach(), [(X[test], y[test])])
    ctx.record_loss_curve(LossCurve(title="train_epoch on the digits: mean cross-entropy per epoch",
                              epochs=list(range(1, DIGITS_EPOCHS + 1)),
                              yours=[round(v, 8) if math.isfinite(v) else None for v in losses],
                              reference=[round(v, 8) for v in book], ylabel="mean cross-entropy"))
    if acc <= DIGITS_THRESHOLD:
        fail(f"After {DIGITS_EPOCHS} epochs (batch {DIGITS_BATCH}, lr {DIGITS_LR}) on 1437 digits, your W and b "
             f"classify {acc:.1%} of 360 test digits; expected above {DIGITS_THRESHOLD:.0%} (the reference "
             f"reaches about 95%). Mean loss per epoch: {[round(v, 4) for v in losses]}.",
             "See the train_epoch checks: the update must change W and b in place, step by lr / len(y).")
