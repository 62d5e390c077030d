"""The chapter's linear-regression training loop (d2l 3.2.7) as a library for the checks.

Each of the five functions comes from the student or from the reference (``BookLoop``), so that
a training check can ask "does the loop reach the right parameters with *your* linreg?" and
blame only that function. ``verify_along`` answers quickly, against the reference's run (one
stacked call per student function, see ``training``); ``train_call_by_call`` is the slow path,
taken when they disagree somewhere, so that the feedback can say where the run went.
"""
from __future__ import annotations

import types

import torch

from autograder.checks.api import fail
from autograder.checks.helpers import expect_tensor, kind_of, seeded
from autograder.checks.runs import digest
from autograder.checks.training import LinearRegressionRun, agrees_along

TRUE_W = [2.0, -3.4]
TRUE_B = 4.2
FUNCTIONS = ("synthetic_data", "data_iter", "linreg", "squared_loss", "sgd")


def pair_of_tensors(value, call):
    """``value`` as (X, y), two tensors; otherwise the check fails saying what ``call`` returned."""
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        fail(f"{call} returned {kind_of(value)}; expected a pair (X, y).", "End with `return X, y`.")
    X, y = value
    expect_tensor(X, call, "X, a tensor")
    expect_tensor(y, call, "y, a tensor")
    return X, y


class BookLoop:
    """The book's five functions, each taken from the student or the reference.

    The student's outputs are checked for type before the reference touches them, so
    that a malformed return value becomes feedback, not an error inside the loop. Each
    reference call is seeded with the seed the student's call would have drawn, so that
    correct functions give the same data on either side (and checks can share runs).
    """

    def __init__(self, student, ref, session, use):
        for name in FUNCTIONS:
            if name in use:
                setattr(self, name, validated(name, getattr(student, name)))
            else:
                setattr(self, name, _mirrored(session, name, getattr(ref, name)))


_PURE = ("synthetic_data", "data_iter")
"""The reference's functions whose result depends only on their seed and arguments: a submission's
checks draw the same seeds, so each such call is made once per submission and its result shared."""


def _mirrored(session, name, fn):
    def run(seed, args):
        with seeded(seed):
            result = fn(*args)
            # A generator (the book's data_iter) draws its randomness when iterated.
            return list(result) if isinstance(result, types.GeneratorType) else result

    def call(*args):
        seed = session.draw_seed(name)
        if name not in _PURE:
            return run(seed, args)
        made = session.memo.setdefault("reference calls", {})
        key = (name, seed, _arguments_key(args))
        if key not in made:
            made[key] = run(seed, args)
        # The tensors are shared (nothing writes to the data); the list is each caller's own.
        return list(made[key]) if isinstance(made[key], list) else made[key]
    return call


def _arguments_key(args) -> tuple:
    return tuple((digest(a), str(a.device)) if isinstance(a, torch.Tensor) else ("value", repr(a)) for a in args)


def validated(name, fn):
    """The student's ``fn``, whose results fail the check (with feedback) unless the loop can use them."""
    def call(*args):
        result = fn(*args)
        if name in ("linreg", "squared_loss"):
            expect_tensor(result, f"In training, your {name}", "a tensor")
        elif name == "synthetic_data":
            result = pair_of_tensors(result, "In training, your synthetic_data")
        elif name == "data_iter":
            result = list(result) if isinstance(result, tuple) else result
            if not isinstance(result, list) or not all(
                    isinstance(item, (tuple, list)) and len(item) == 2 for item in result):
                fail(f"In training, your data_iter returned {kind_of(result)}; expected (X, y) batches.")
        return result
    return call


def book_data(loop: BookLoop, ctx, n):
    """The book's data (from the loop's synthetic_data) and the initial w."""
    features, labels = loop.synthetic_data(ctx.tensor(TRUE_W), TRUE_B, n)
    init = torch.normal(0, 0.01, size=(2, 1), generator=ctx.generator("init")).to(ctx.device)
    return features, labels, init


def mean_loss(ref, features, labels, w, b) -> float:
    """The reference's mean squared loss of (w, b) over the data; nan where the shapes disagree."""
    with torch.no_grad():
        fitted = ref.linreg(features, w, b)
        if labels.numel() != fitted.numel():
            return float("nan")
        return ref.squared_loss(fitted, labels.reshape(fitted.shape)).mean().item()


def train_call_by_call(loop: BookLoop, ref, ctx, n=1000, lr=0.03, batch_size=10, epochs=3):
    """(w, b, mean loss after each epoch) of the book's loop, one call at a time."""
    features, labels, init = book_data(loop, ctx, n)
    w = init.requires_grad_(True)
    b = torch.zeros(1, device=ctx.device, requires_grad=True)
    losses = [mean_loss(ref, features, labels, w, b)]
    for _ in range(epochs):
        for X, y in loop.data_iter(batch_size, features, labels):
            loss = loop.squared_loss(loop.linreg(X, w, b), y)
            loss.sum().backward()
            loop.sgd([w, b], lr, batch_size)
        losses.append(mean_loss(ref, features, labels, w, b))
    return w.detach(), b.detach(), losses


def _reference_run(student, ref, ctx, use, n, lr, batch_size, epochs):
    """Data and batches from the loop, and the reference run along them."""
    loop = BookLoop(student, ref, ctx.session, use)
    features, labels, init = book_data(loop, ctx, n)
    epochs_of_batches = [list(loop.data_iter(batch_size, features, labels)) for _ in range(epochs)]
    # Only the real examples go into the shared reference run: a data_iter that returns millions of rows
    # must not fill a grading worker's memory with runs kept for the next students.
    if any(sum(len(y) for _, y in batches) != n for batches in epochs_of_batches):
        raise ValueError("the batches do not hold the data's examples")
    return features, labels, LinearRegressionRun.shared(ctx, ref, epochs_of_batches, init, lr, batch_size)


def verify_along(student, ref, ctx, use, n=1000, lr=0.03, batch_size=10, epochs=3):
    """The outcome (w, b, losses) of the book's loop with the student's functions in ``use``, found quickly.

    The data and batches come from the loop as usual. Then, instead of one round trip per
    call, each of the student's linreg, squared_loss and sgd is checked in one batch against the
    reference at every state of the reference run. Where they agree (to float32 rounding) at every
    state, the loop with them takes the same path, so the reference run's end is the outcome.
    Returns None when anything disagrees: the caller then runs ``train_call_by_call``.
    """
    try:
        features, labels, run = _reference_run(student, ref, ctx, use, n, lr, batch_size, epochs)
    except (RuntimeError, TypeError, ValueError, IndexError):
        return None
    for name in ("linreg", "squared_loss", "sgd"):
        if name in use and not agrees_along(ctx.session, name, run):
            return None
    return run.w, run.b, [mean_loss(ref, features, labels, w, b) for w, b in run.epoch_ends]
