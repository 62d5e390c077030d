"""Verifying a student's functions along a training run, fast: a library for the checks.

A training check asks whether the book's loop, with some of the student's functions, reaches the
right parameters. Calling the student's functions once per step costs a round trip each. Instead,
the reference's run is computed once (``LinearRegressionRun``: every step's inputs, outputs and
gradients, stacked by batch shape), and each student function is checked against it at every
state in one stacked call (``agrees_along``). Where they agree at every state, the loop with them
takes the reference's path, so the reference run's end is the outcome; otherwise the check runs
the loop call by call. Runs are kept in the plan's cache (``ctx.reference_run``), keyed by device,
seed, hyper-parameters and the digest of the data, so that the many submissions whose data are the
book's share one run. ``book_loop`` builds the chapter's loop on it.
"""
from __future__ import annotations

import torch

from autograder.checks.helpers import close
from autograder.checks.runs import digest
from autograder.sandbox.grader_side.proxy import Each


class LinearRegressionRun:
    """The reference's linreg, squared_loss and sgd along given batches, every intermediate value
    stacked by step.

    Steps are grouped by batch shape (a short last batch makes a group of its own), so that
    each group crosses to the student process as a few stacked tensors.
    """

    @classmethod
    def shared(cls, ctx, ref, epochs_of_batches, init, lr, batch_size, divisor=None) -> "LinearRegressionRun":
        """The run along these batches from ``init``, computed once per grading run (ctx.reference_run)."""
        flat = [t for batches in epochs_of_batches for pair in batches for t in pair]
        return ctx.reference_run(
            "linear regression", lambda key: cls(ref, epochs_of_batches, init, lr, batch_size, divisor, key),
            data=(init,), params=(lr, batch_size, divisor, tuple(len(b) for b in epochs_of_batches),
                                  _batches_digest(ctx, flat)))

    def __init__(self, ref, epochs_of_batches, init_w, lr, batch_size, divisor=None, key=("uncached", "0" * 12)):
        self.key = key
        # The reference's linreg and squared_loss give the values; their gradients are written out
        # (d/dy_hat of sum((y_hat - y)**2 / 2) is y_hat - y, and linreg's are X^T g and sum(g)), and
        # the step is the reference sgd's `param -= lr * param.grad / batch_size`. Autograd would
        # give the same numbers at several times the cost, and a run is made for every submission
        # (their data differ: the seeds are salted with the file).
        w = init_w.detach().clone()
        b = torch.zeros(1, device=init_w.device)
        columns: dict[str, list] = {k: [] for k in ("X", "y", "w", "b", "y_hat", "loss", "g_y_hat", "gw", "gb",
                                                    "w_next", "b_next")}
        steps = []
        self.epoch_ends = [(w, b)]
        with torch.no_grad():
            for batches in epochs_of_batches:
                for X, y in batches:
                    y_hat = ref.linreg(X, w, b)
                    loss = ref.squared_loss(y_hat, y)
                    g = y_hat - y.reshape(y_hat.shape)
                    gw, gb = X.T @ g, g.sum(0)
                    step_size = len(y) if divisor == "len" else batch_size
                    w_next, b_next = w - lr * gw / step_size, b - lr * gb / step_size
                    for k, v in (("X", X), ("y", y), ("w", w), ("b", b), ("y_hat", y_hat), ("loss", loss),
                                 ("g_y_hat", g), ("gw", gw), ("gb", gb), ("w_next", w_next), ("b_next", b_next)):
                        columns[k].append(v)
                    steps.append((tuple(X.shape), tuple(y.shape), step_size))
                    w, b = w_next, b_next
                self.epoch_ends.append((w, b))
        self.w, self.b, self.lr, self.steps = w, b, lr, len(steps)
        self.groups = []
        start = 0
        for i in range(1, len(steps) + 1):
            if i == len(steps) or steps[i] != steps[start]:
                group = {k: torch.stack(v[start:i]) for k, v in columns.items()}
                group["step_size"] = steps[start][2]
                self.groups.append(group)
                start = i


def _batches_digest(ctx, flat: list) -> str:
    """digest(*flat), remembered for the submission by the tensors' identities: its checks share the
    reference's batches (book_loop's shared reference calls), which are hundreds of tensors."""
    memo = ctx.session.memo.setdefault("batch digests", {}) if ctx.session is not None else {}
    key = tuple(map(id, flat))
    if key not in memo:
        memo[key] = (digest(*flat), flat)  # the tensors are kept, so that their ids stay theirs
    return memo[key][0]


def _close_stacked(got, want) -> bool:
    return isinstance(got, torch.Tensor) and got.shape == want.shape and close(got, want, 1e-4, 1e-6)


def agrees_along(session, name, run: LinearRegressionRun) -> bool:
    """Whether the student's ``name`` gives the reference's values (and gradients) at every
    state of the run, in one round trip per group of equal-shaped steps. Asked once per
    submission and run: the training checks share runs when the student's data are the book's."""
    memo = session.memo.setdefault("agrees along run", {})
    if (name, run.key) not in memo:
        memo[name, run.key] = _agrees_now(session, name, run)
    return memo[name, run.key]


def _agrees_now(session, name, run: LinearRegressionRun) -> bool:
    for g in run.groups:
        n = len(g["X"])
        if name == "linreg":
            got = session.call_stacked(name, [Each(g["X"]), Each(g["w"], leaf=True), Each(g["b"], leaf=True)],
                                       n, grad_output=g["g_y_hat"])
            ok = got is not None and _close_stacked(got.result, g["y_hat"]) and len(got.grads) == 2 \
                and _close_stacked(got.grads[0], g["gw"]) and _close_stacked(got.grads[1], g["gb"])
        elif name == "squared_loss":
            got = session.call_stacked(name, [Each(g["y_hat"], leaf=True), Each(g["y"])], n,
                                       grad_output=torch.ones_like(g["loss"]))
            ok = got is not None and _close_stacked(got.result, g["loss"]) and len(got.grads) == 1 \
                and _close_stacked(got.grads[0], g["g_y_hat"])
        else:
            # The states go in a shuffled order, so that the state after a call is not the next one
            # in the request: an sgd that copies it from there (through frames or gc) gets it wrong.
            order = torch.randperm(n, generator=torch.Generator().manual_seed(int(run.key[-1][:12], 16)))
            got = session.call_stacked(name, [[Each(g["w"][order], leaf=True, grad=g["gw"][order]),
                                               Each(g["b"][order], leaf=True, grad=g["gb"][order])],
                                              run.lr, g["step_size"]], n, result=False, after=True)
            ok = got is not None and len(got.after) == 2 and all(
                a.cleared and a.requires_grad and a.is_leaf and _close_stacked(a.data, want[order])
                for a, want in zip(got.after, (g["w_next"], g["b_next"])))
        if not ok:
            return False
    return True
