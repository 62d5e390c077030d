"""Graded checks for linear_regression.py (hidden from students: they use the reference).

Each check is ``test_<id>(student, ref, ctx)``: pytest runs it against the reference,
``autograder grade`` against each submission. A check of one function uses the
reference for every other function, so one bug costs points in one place only.
"""
import collections
import math

import torch

from autograder.checks.api import LossCurve
from autograder.checks import fail, graded
from autograder.checks.diagnose import batch_sizes_hint, noise_hint, sgd_update, squared_loss_hint
from autograder.checks.helpers import (check_finite_differences, check_gradients, close,
                                       expect_device, expect_varies, expect_shape, expect_tensor, fmt, kind_of,
                                       seeded)
from autograder.checks.stats import mean_bound, variance_ratio_interval
from autograder.checks.book_loop import (FUNCTIONS, TRUE_B, TRUE_W, BookLoop, pair_of_tensors, train_call_by_call,
                                         validated, verify_along)
from autograder.checks.training import LinearRegressionRun, agrees_along



# ---------------------------------------------------------------- synthetic_data
@graded("synthetic_data", public=True)
def test_synthetic_data_shapes(student, ref, ctx):
    """synthetic_data returns X of shape (n, len(w)) and y of shape (n, 1)."""
    for w, n in (([2.0, -3.4], 7), ([1.0, 0.5, -1.0], 4), ([3.0], 1)):
        call = f"synthetic_data(w={w}, b=4.2, num_examples={n})"
        X, y = pair_of_tensors(student.synthetic_data(ctx.tensor(w), 4.2, n), call)
        if X.shape[0] != n or y.shape[0] != n:
            fail(f"{call} returned X of shape {tuple(X.shape)} and y of shape {tuple(y.shape)}; "
                 f"expected {n} examples.", "Use num_examples, not a fixed number such as 1000.")
        expect_shape(X, (n, len(w)), f"{call} (X)", "X has one row per example and one column per weight.")
        if tuple(y.shape) == (n,):
            fail(f"{call} returned y of shape ({n},); this assignment wants ({n}, 1).",
                 "d2l 0.14 returned a 1-D y; the 0.17 contract used here ends with "
                 "`return X, y.reshape((-1, 1))`.")
        expect_shape(y, (n, 1), f"{call} (y)")
        expect_varies(X, call, "X")
        expect_varies(y, call, "y")


@graded("synthetic_data", public=True)
def test_synthetic_data_features_standard_normal(student, ref, ctx):
    """The features X are independent draws from N(0, 1)."""
    n = 20_000
    X, _ = pair_of_tensors(student.synthetic_data(ctx.tensor(TRUE_W), TRUE_B, n), "synthetic_data")
    expect_shape(X, (n, 2), f"synthetic_data(true_w, true_b, {n}) (X)")
    X = X.detach().to("cpu", torch.float64)
    # Tolerances (autograder/checks/stats.py): each statistic has a false-alarm
    # probability of at most 1e-12 for a correct N(0, 1) sampler. The sample mean of
    # N(0, 1) draws is exactly N(0, 1/n); sum(x^2) is exactly chi-square(n) (known
    # mean); (x1 +- x2)/sqrt(2) are independent N(0, 1) exactly when the columns are.
    mean_tol = mean_bound(n, 1.0)
    lo, hi = variance_ratio_interval(n)
    u, v = (X[:, 0] + X[:, 1]) / 2 ** 0.5, (X[:, 0] - X[:, 1]) / 2 ** 0.5
    for j in range(2):
        mean, second = X[:, j].mean().item(), X[:, j].pow(2).mean().item()
        if abs(mean) > mean_tol:
            fail(f"Column {j} of X has mean {mean:.4f} over {n} examples; N(0, 1) draws give a "
                 f"mean within ±{mean_tol:.4f}.",
                 "torch.rand draws from [0, 1); the features should come from torch.normal(0, 1, ...).")
        if not lo <= second <= hi:
            fail(f"Column {j} of X has variance {second:.4f}; N(0, 1) draws give between "
                 f"{lo:.3f} and {hi:.3f}.", "Draw X with standard deviation 1: torch.normal(0, 1, (n, len(w))).")
    for name, z in (("(x1 + x2)/√2", u), ("(x1 - x2)/√2", v)):
        second = z.pow(2).mean().item()
        if not lo <= second <= hi:
            fail(f"The columns of X are not independent: {name} has variance {second:.4f} where "
                 f"independent N(0, 1) columns give between {lo:.3f} and {hi:.3f}.",
                 "Draw the whole (n, d) matrix at once instead of repeating one column.")


@graded("synthetic_data", public=True)
def test_synthetic_data_noise_level(student, ref, ctx):
    """y − (Xw + b) is noise with mean 0 and standard deviation 0.01."""
    n, sigma = 20_000, 0.01
    w = ctx.tensor(TRUE_W)
    X, y = pair_of_tensors(student.synthetic_data(w, TRUE_B, n), "synthetic_data")
    if X.shape != (n, 2) or y.numel() != n:
        fail(f"synthetic_data(true_w, true_b, {n}) returned X {tuple(X.shape)} and y {tuple(y.shape)}; "
             f"expected ({n}, 2) and ({n}, 1).", "See the shapes check first.")
    X64, y64 = X.detach().cpu().double(), y.detach().cpu().double().reshape(-1)
    residual = y64 - (X64 @ w.cpu().double() + TRUE_B)
    # The residual is exactly N(0, sigma^2) for a correct solution, up to float32
    # rounding of y (< 2e-6 here, which moves these statistics by < 1e-3 of their
    # tolerance). Same bounds as above, false-alarm probability 1e-12 each.
    mean_tol = mean_bound(n, sigma)
    lo, hi = variance_ratio_interval(n)
    mean = residual.mean().item()
    ratio = residual.pow(2).mean().item() / sigma ** 2
    std = residual.pow(2).mean().sqrt().item()
    if ratio < 1e-6:
        fail("y equals Xw + b exactly: no noise was added.",
             "Add noise: y += torch.normal(0, 0.01, y.shape).")
    if not lo <= ratio <= hi:
        hint = noise_hint(std)
        fail(f"The noise y − (Xw + b) has standard deviation {std:.4g}; expected 0.01 (a correct "
             f"sampler gives between {sigma * lo ** 0.5:.4g} and {sigma * hi ** 0.5:.4g} here).", hint)
    if abs(mean) > mean_tol:
        fail(f"The noise y − (Xw + b) has mean {mean:.4g}; expected 0 (within ±{mean_tol:.2g}).",
             "Check the sign and the value of b, and that the noise has mean 0.")


@graded("synthetic_data", public=True)
def test_synthetic_data_dtype_device(student, ref, ctx):
    """X and y are created on w's device, with w's (float32) dtype."""
    w = ctx.tensor(TRUE_W)
    X, y = pair_of_tensors(student.synthetic_data(w, TRUE_B, 5), "synthetic_data")
    for name, t in (("X", X), ("y", y)):
        expect_varies(t, "synthetic_data(true_w, true_b, 5)", name)
        expect_device(t, ctx.device, f"synthetic_data (its {name})",
                      f"{name} was created on the {t.device.type.upper()} while w is on {w.device}: pass device=w.device.")
        if t.dtype != w.dtype:
            fail(f"synthetic_data returned {name} with dtype {t.dtype}; w had dtype {w.dtype}.",
                 "Pass dtype=w.dtype when creating X and the noise.")


@graded("synthetic_data", advisory=True, public=True)
def test_synthetic_data_follows_float64(student, ref, ctx):
    """Advisory: with a float64 w, X and y are float64 too (the book's code assumes float32)."""
    w = ctx.tensor(TRUE_W, dtype=torch.float64)
    X, y = pair_of_tensors(student.synthetic_data(w, TRUE_B, 5), "synthetic_data with a float64 w")
    if X.dtype != torch.float64 or y.dtype != torch.float64:
        fail(f"With a float64 w, synthetic_data returned X as {X.dtype} and y as {y.dtype}.",
             "torch.normal(0, 1, shape, dtype=w.dtype, device=w.device) follows w.")


# ---------------------------------------------------------------- data_iter
def _coded_data(ctx, n, one_dim_labels=False):
    """Features whose first column is the example's index, labels 1000 + index."""
    ids = torch.arange(n, dtype=torch.float32)
    features = torch.stack([ids, -ids], dim=1).to(ctx.device)
    labels = (1000 + ids).to(ctx.device)
    return features, (labels if one_dim_labels else labels.reshape(-1, 1))


def _batches(student, ctx, batch_size, n, one_dim_labels=False):
    features, labels = _coded_data(ctx, n, one_dim_labels)
    call = f"data_iter({batch_size}, features, labels) with {n} examples"
    result = student.data_iter(batch_size, features, labels)
    if isinstance(result, tuple):  # any iterable of pairs will do: a tuple of them too
        result = list(result)
    if not isinstance(result, list):
        fail(f"{call} returned {kind_of(result)}; expected an iterable of (X, y) pairs.",
             "Write a generator (yield inside the loop) or return a list of (X, y) pairs.")
    batches, rows = [], 0
    for i, item in enumerate(result):
        if not (isinstance(item, (tuple, list)) and len(item) == 2
                and all(isinstance(t, torch.Tensor) for t in item)):
            fail(f"Item {i} from {call} is {kind_of(item)}; expected a pair (X, y) of tensors.",
                 "Yield both the features and the labels of each batch: yield X[idx], y[idx].")
        expect_device(item[0], ctx.device, f"{call} (a feature batch)")
        expect_device(item[1], ctx.device, f"{call} (a label batch)")
        batches.append((item[0], item[1]))
        rows += len(item[0]) if item[0].dim() else 1
        if rows > 2 * n:  # more than the data allows: stop before analysing it
            fail(f"{call} yielded {rows} rows or more; there are only {n} examples.",
                 "Each pass yields every example once: slice the shuffled indices, batch_size at a time.")
    if not batches:
        fail(f"{call} produced no batches.", "Is the `yield` inside the loop?")
    return call, batches


def _expect_rows_of_the_data(call, batches, n):
    """Sizes count only for batches of the real examples (features row i is (i, −i), label 1000 + i)."""
    for X, y in batches:
        rows = X.detach().to("cpu", torch.float64).reshape(X.shape[0], -1) if X.dim() >= 1 else X
        labels = y.detach().to("cpu", torch.float64).reshape(-1)
        if (X.dim() != 2 or X.shape[1] != 2 or labels.numel() != X.shape[0]
                or not torch.equal(rows[:, 1], -rows[:, 0]) or not torch.equal(labels, 1000 + rows[:, 0])
                or bool(((rows[:, 0] < 0) | (rows[:, 0] >= n) | (rows[:, 0] != rows[:, 0].round())).any())):
            fail(f"{call} yielded a batch that is not rows of features with their labels (such as {fmt(X[:2])}).",
                 "Take each batch from the data: yield features[batch_indices], labels[batch_indices].")


def _expect_minibatches(call, batches, batch_size, n):
    """What a pass yields counts only as minibatches: no batch larger than batch_size. A single batch of
    all the data holds every example once, with its label, without being a data_iter."""
    sizes = [int(X.shape[0]) if X.dim() else 1 for X, _ in batches]
    if any(size > batch_size for size in sizes):
        whole = len(sizes) == 1 and sizes[0] >= n
        fail(f"{call} yielded {'one batch of all ' + str(sizes[0]) + ' examples' if whole else 'batches of sizes ' + str(sizes)}"
             f"; expected minibatches of at most {batch_size} examples.",
             "Yield one batch per slice of the shuffled indices: indices[i: i + batch_size], "
             "for i in range(0, num_examples, batch_size).")


def _ids(batches):
    return [[int(round(v)) for v in X[:, 0].detach().cpu().tolist()] if X.dim() == 2 else []
            for X, _ in batches]


@graded("data_iter", public=True)
def test_data_iter_each_example_once(student, ref, ctx):
    """One pass of data_iter yields every example exactly once, the last short batch included."""
    n, batch_size = 23, 5
    call, batches = _batches(student, ctx, batch_size, n)
    for X, _ in batches:
        if X.dim() != 2 or X.shape[1] != 2:
            fail(f"{call} yielded a feature batch of shape {tuple(X.shape)}; expected (batch, 2).",
                 "Index rows of features with a tensor of indices: features[batch_indices].")
    _expect_minibatches(call, batches, batch_size, n)
    seen = [i for batch in _ids(batches) for i in batch]
    missing = sorted(set(range(n)) - set(seen))
    repeated = sorted(i for i, times in collections.Counter(seen).items() if times > 1)
    if missing and len(seen) == n - n % batch_size:
        fail(f"{call} yielded {len(seen)} examples; examples {missing} never appeared.",
             "The last, shorter batch was dropped: loop over range(0, num_examples, batch_size) "
             "and slice up to min(i + batch_size, num_examples).")
    if repeated:
        fail(f"{call} yielded some examples more than once: {repeated[:10]}.",
             "Consecutive batches overlap: step through the shuffled indices by batch_size, "
             "not by 1, and take each slice indices[i: i + batch_size].")
    if missing:
        fail(f"{call} yielded {len(seen)} examples; examples {missing[:10]} never appeared.",
             "Each pass must visit every example exactly once.")


@graded("data_iter", public=True)
def test_data_iter_pairs_stay_together(student, ref, ctx):
    """Each feature row stays with its own label, for (n, 1) and (n,) labels."""
    for one_dim in (False, True):
        call, batches = _batches(student, ctx, 4, 10, one_dim_labels=one_dim)
        _expect_minibatches(call, batches, 4, 10)
        for X, y in batches:
            if X.dim() != 2 or y.numel() != X.shape[0]:
                fail(f"{call} yielded X of shape {tuple(X.shape)} with y of shape {tuple(y.shape)}; "
                     "expected one label per row.", "Index features and labels with the same indices.")
            if not torch.equal(y.detach().reshape(-1).cpu() - 1000, X[:, 0].detach().cpu()):
                fail(f"{call} split features from their labels: a batch held example rows "
                     f"{fmt(X[:, 0])} with the labels of examples {fmt(y.reshape(-1) - 1000)}.",
                     "Use the same batch_indices for both: features[batch_indices], labels[batch_indices].")
            if tuple(y.shape[1:]) != (() if one_dim else (1,)):
                fail(f"{call} changed the label shape to {tuple(y.shape)}.",
                     "Index the labels as they are; do not reshape them.")


@graded("data_iter", public=True)
def test_data_iter_batch_sizes(student, ref, ctx):
    """Batches hold batch_size examples; when batch_size does not divide n, the last is shorter."""
    for n, batch_size in ((23, 5), (20, 5), (3, 10)):
        call, batches = _batches(student, ctx, batch_size, n)
        _expect_rows_of_the_data(call, batches, n)
        sizes = [int(X.shape[0]) for X, _ in batches]
        expected = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
        if sorted(sizes, reverse=True) != expected:
            fail(f"{call} yielded batches of sizes {sizes}; expected {expected}.", batch_sizes_hint(sizes, n))


@graded("data_iter", public=True)
def test_data_iter_shuffles_every_call(student, ref, ctx):
    """The examples come in a random order, and a fresh one on every call."""
    n, batch_size = 100, 10
    call, first = _batches(student, ctx, batch_size, n)
    _, second = _batches(student, ctx, batch_size, n)
    order, again = [i for b in _ids(first) for i in b], [i for b in _ids(second) for i in b]
    # For a uniformly random order each event below has probability 1/100! or less
    # (the batches being ten sorted runs of neighbours: 10! * 10!^... < 1e-100), so
    # a correct data_iter never fails them.
    if order == list(range(n)):
        fail(f"{call} yielded the examples in their original order 0, 1, 2, ….",
             "Shuffle the indices (random.shuffle(indices) or torch.randperm(n)) and take each "
             "batch through them: features[indices[i: i + batch_size]], not features[i: i + batch_size].")
    if all(b == list(range(b[0], b[0] + len(b))) for b in _ids(first) if b):
        fail(f"{call} only shuffled the order of the batches: each batch holds neighbouring "
             f"examples, such as {_ids(first)[0]}.",
             "Shuffle the indices of the examples, not the start positions of the batches.")
    if order == again:
        fail(f"Two calls of {call} yielded the same order.",
             "Shuffle inside data_iter on every call, and do not re-seed the random generator there.")


# ---------------------------------------------------------------- linreg
def _linreg_inputs(ctx, n, d, salt=""):
    return (ctx.randn(n, d, salt=f"X{salt}"), ctx.randn(d, 1, salt=f"w{salt}"), ctx.randn(1, salt=f"b{salt}"))


@graded("linreg")
def test_linreg_values(student, ref, ctx):
    """linreg(X, w, b) equals Xw + b, of shape (n, 1), on several input shapes."""
    for n, d in ((1, 1), (5, 3), (7, 2)):
        X, w, b = _linreg_inputs(ctx, n, d)
        call = f"linreg(X, w, b) with X of shape ({n}, {d}), w ({d}, 1), b (1,)"
        got = expect_tensor(student.linreg(X, w, b), call, f"a tensor of shape ({n}, 1)")
        want = ref.linreg(X, w, b)
        expect_device(got, ctx.device, call)
        expect_shape(got, (n, 1), call, "X @ w with w of shape (d, 1) is already (n, 1): keep that shape.")
        if close(got, X @ w):
            fail(f"{call} returned X @ w = {fmt(got)}; expected Xw + b = {fmt(want)}.", "Add the bias b.")
        if close(got, X @ w - b):
            fail(f"{call} returned Xw − b; expected Xw + b = {fmt(want)}.", "Add the bias; do not subtract it.")
        if not close(got, want):
            fail(f"{call} returned {fmt(got)}; expected Xw + b = {fmt(want)}.",
                 "The model is torch.matmul(X, w) + b: a matrix product, not an elementwise one.")


@graded("linreg")
def test_linreg_gradients(student, ref, ctx):
    """Gradients through linreg match the reference's and the finite differences of your linreg."""
    X, w, b = _linreg_inputs(ctx, 4, 3, salt="grad")
    inputs = {"X": X, "w": w, "b": b}
    call = "linreg(X, w, b) with X (4, 3), w (3, 1), b (1,)"
    weight = torch.linspace(0.5, 2.0, 4, device=ctx.device).reshape(4, 1)
    check_gradients(student.linreg, ref.linreg, inputs, ["X", "w", "b"], "linreg", call, weight)
    small = {"X": X[:2, :2], "w": w[:2], "b": b}
    check_finite_differences(student.linreg, small, ["w", "b"], "linreg", "linreg(X, w, b) with X (2, 2)")


# ---------------------------------------------------------------- squared_loss
@graded("squared_loss")
def test_squared_loss_values(student, ref, ctx):
    """squared_loss gives (ŷ − y)²/2 per example, of ŷ's shape (n, 1), for y of shape (n,) or (n, 1)."""
    for n, one_dim in ((4, True), (4, False), (1, True)):
        y_hat = ctx.randn(n, 1, salt=f"yhat{n}")
        y = ctx.randn(n, salt=f"y{n}") if one_dim else ctx.randn(n, 1, salt=f"y{n}")
        call = f"squared_loss(y_hat, y) with y_hat of shape ({n}, 1) and y of shape {tuple(y.shape)}"
        got = expect_tensor(student.squared_loss(y_hat, y), call, f"a tensor of shape ({n}, 1)")
        want = ref.squared_loss(y_hat, y)
        expect_device(got, ctx.device, call)
        if got.dim() == 0 or got.numel() == 1 and n > 1:
            total = want.sum().item()
            what = ("the mean" if abs(got.item() - want.mean().item()) < 1e-5 * max(1, abs(total))
                    else "the sum" if abs(got.item() - total) < 1e-5 * max(1, abs(total)) else "one number")
            fail(f"{call} returned {what} ({got.item():.4g}); expected one loss per example, {fmt(want)}.",
                 squared_loss_hint(got, want))
        if tuple(got.shape) == (n, n) and n > 1:
            fail(f"{call} returned shape ({n}, {n}); expected ({n}, 1).", squared_loss_hint(got, want))
        expect_shape(got, (n, 1), call, squared_loss_hint(got, want))
        if not close(got, want):
            fail(f"{call} returned {fmt(got)}; expected (ŷ − y)²/2 = {fmt(want)}.", squared_loss_hint(got, want))


@graded("squared_loss")
def test_squared_loss_gradients(student, ref, ctx):
    """Gradients through squared_loss match the reference's and finite differences."""
    y_hat, y = ctx.randn(5, 1, salt="gyh"), ctx.randn(5, salt="gy")
    call = "squared_loss(y_hat, y) with y_hat (5, 1) and y (5,)"
    weight = torch.linspace(0.5, 2.0, 5, device=ctx.device).reshape(5, 1)
    check_gradients(student.squared_loss, ref.squared_loss, {"y_hat": y_hat, "y": y}, ["y_hat", "y"],
                    "squared_loss", call, weight)
    check_finite_differences(student.squared_loss, {"y_hat": y_hat[:3], "y": y[:3]}, ["y_hat"],
                             "squared_loss", "squared_loss(y_hat, y) with y_hat (3, 1)")


# ---------------------------------------------------------------- sgd
def _params(ctx, salt=""):
    w = ctx.randn(2, 1, salt=f"pw{salt}").requires_grad_(True)
    b = ctx.randn(1, salt=f"pb{salt}").requires_grad_(True)
    w.grad = ctx.randn(2, 1, salt=f"gw{salt}")
    b.grad = ctx.randn(1, salt=f"gb{salt}")
    return w, b


def _sgd_step(student, ctx, lr, batch_size, salt=""):
    w, b = _params(ctx, salt)
    before = [p.detach().clone() for p in (w, b)]
    grads = [p.grad.clone() for p in (w, b)]
    student.sgd([w, b], lr, batch_size)
    return (w, b), before, grads, ctx.session.last_call.arg_states[0]


def _diagnose_update(step, after, before, grad, lr, batch_size):
    """Explain what update the student made, in terms of the divisor and the sign."""
    diagnosis = sgd_update(before, after, grad, lr, batch_size)
    if diagnosis is not None:
        what, hint = diagnosis
        fail(f"After sgd([w, b], lr={lr}, batch_size={batch_size}), {what}.", hint)


@graded("sgd")
def test_sgd_update(student, ref, ctx):
    """sgd moves each parameter by exactly −lr · grad / batch_size."""
    lr, batch_size = 0.03, 10
    params, before, grads, _ = _sgd_step(student, ctx, lr, batch_size)
    for p, b0, g in zip(params, before, grads):
        _diagnose_update("update", p, b0, g, lr, batch_size)


@graded("sgd")
def test_sgd_uses_the_given_batch_size(student, ref, ctx):
    """With a short final batch of 3 and lr 0.1, sgd divides by 3 and uses lr 0.1."""
    lr, batch_size = 0.1, 3
    params, before, grads, _ = _sgd_step(student, ctx, lr, batch_size, salt="short")
    for p, b0, g in zip(params, before, grads):
        _diagnose_update("short", p, b0, g, lr, batch_size)


@graded("sgd", public=True)
def test_sgd_clears_gradients(student, ref, ctx):
    """After sgd, each gradient is cleared (zeroed, or set to None)."""
    params, _, grads, _ = _sgd_step(student, ctx, 0.03, 10, salt="clear")
    for name, p in zip(("w", "b"), params):
        if p.grad is not None and bool(p.grad.abs().sum() > 0):
            fail(f"After sgd, {name}.grad still holds {fmt(p.grad)}.",
                 "Gradients accumulate across backward() calls: clear them after the update with "
                 "param.grad.zero_() (or param.grad = None).")


@graded("sgd", public=True)
def test_sgd_keeps_leaf_parameters(student, ref, ctx):
    """After sgd, the parameters are still leaf tensors that require grad."""
    _, before, _, states = _sgd_step(student, ctx, 0.03, 10, salt="leaf")
    moved = [s is not None and not torch.equal(s.data.to(b.device), b) for s, b in zip(states or [], before)]
    if not any(moved):
        fail("sgd left the parameters unchanged, so whether they stay leaf tensors says nothing.",
             "Update the tensors in place (param -= lr * param.grad / batch_size) inside torch.no_grad().")
    for name, state in zip(("w", "b"), states or []):
        if state is None:
            continue
        if not state.requires_grad:
            fail(f"After sgd, {name} no longer requires grad, so the next step cannot compute its gradient.",
                 "Update param in place under torch.no_grad(); do not detach it or switch off requires_grad.")
        if not state.is_leaf:
            fail(f"After sgd, {name} is no longer a leaf tensor: the update was recorded by autograd.",
                 "Do the update inside `with torch.no_grad():` so that it leaves no history.")


# ---------------------------------------------------------------- training
def _recovery(student, ref, ctx, use, hint):
    mark = ctx.session.seed_mark()
    outcome = verify_along(student, ref, ctx, use)
    if outcome is None:
        loop = BookLoop(student, ref, ctx.session, use)
        try:
            outcome = train_call_by_call(loop, ref, ctx)
        except (RuntimeError, TypeError, ValueError, IndexError) as exc:
            which = ", ".join(use)
            fail(f"The book's training loop stopped with an error when it used your {which}: {exc}",
                 "The output of your function does not have the shape the next step needs; see the "
                 "checks of that function first.")
    w, b, losses = outcome
    if tuple(use) == FUNCTIONS:
        ctx.session.rewind_seeds(mark)  # the book's run, with the random streams the student's run had
        _, _, book = verify_along(student, ref, ctx, ())
        ctx.record_loss_curve(LossCurve(title="The book's training loop: mean squared loss after each epoch",
                                  epochs=list(range(len(book))), yours=_finite(losses),
                                  reference=_finite(book), ylabel="mean squared loss"))
    err_w = (w.reshape(-1).cpu() - torch.tensor(TRUE_W)).abs().max().item()
    err_b = abs(b.reshape(-1)[0].item() - TRUE_B) if b.numel() == 1 else float("inf")
    # The book's run ends within about 1e-3 of the truth (300 steps shrink the initial
    # error by (1 − lr)^300 ≈ 1e-4, and the noise floor is ~1e-3); 0.05 leaves a wide margin.
    if not (err_w < 0.05 and err_b < 0.05):
        which = "your " + " and ".join(use) if len(use) < len(FUNCTIONS) else "all five of your functions"
        fail(f"The book's training loop (1000 examples, batch 10, lr 0.03, 3 epochs) with {which} "
             f"ended at w = {fmt(w.reshape(-1))}, b = {fmt(b.reshape(-1))}; expected w ≈ {TRUE_W}, "
             f"b ≈ {TRUE_B} (within 0.05). Mean loss after each epoch: {[round(x, 5) for x in losses[1:]]}.",
             hint)


def _finite(values) -> list:
    """Losses as plain numbers; None where training blew up (JSON has no inf or nan)."""
    return [round(v, 8) if math.isfinite(v) else None for v in values]


@graded(*FUNCTIONS, seed_group="training")
def test_training_recovers_parameters(student, ref, ctx):
    """The book's training loop built from all your functions recovers w and b."""
    _recovery(student, ref, ctx, FUNCTIONS,
              "See the training checks that use one of your functions at a time: they name the one at fault.")


@graded("synthetic_data", seed_group="training")
def test_training_with_your_synthetic_data(student, ref, ctx):
    """Training on data from your synthetic_data (the rest from the reference) recovers w and b."""
    _recovery(student, ref, ctx, ("synthetic_data",), "The data must follow y = Xw + b + noise.")


@graded("data_iter", seed_group="training")
def test_training_with_your_data_iter(student, ref, ctx):
    """Training on batches from your data_iter (the rest from the reference) recovers w and b."""
    _recovery(student, ref, ctx, ("data_iter",), "Every example must come exactly once per epoch, with its own label.")


@graded("linreg", seed_group="training")
def test_training_with_your_linreg(student, ref, ctx):
    """Training with your linreg (the rest from the reference) recovers w and b."""
    _recovery(student, ref, ctx, ("linreg",), "The gradient must reach both w and b through linreg.")


@graded("squared_loss", seed_group="training")
def test_training_with_your_squared_loss(student, ref, ctx):
    """Training with your squared_loss (the rest from the reference) recovers w and b."""
    _recovery(student, ref, ctx, ("squared_loss",),
              "A mean in the loss and a division by batch_size in sgd shrink every step tenfold.")


@graded("sgd", seed_group="training")
def test_training_with_your_sgd(student, ref, ctx):
    """Training with your sgd (the rest from the reference) recovers w and b."""
    _recovery(student, ref, ctx, ("sgd",), "Subtract lr · grad / batch_size and clear the gradients each step.")


def _expect_the_same_examples(call, batches, features, labels):
    """The batches hold the data's examples (compared through sums of powers, in linear time),
    so that batches of zeros cannot make the training run pass vacuously."""
    def moments(t):
        t = t.detach().to("cpu", torch.float64)
        return torch.stack([t.sum(), (t ** 2).sum()])
    try:
        got = sum(moments(X) for X, _ in batches), sum(moments(y.reshape(-1)) for _, y in batches)
    except RuntimeError:
        got = None
    want = moments(features), moments(labels.reshape(-1))
    if got is None or not all(torch.allclose(g, w, rtol=1e-6, atol=1e-6) for g, w in zip(got, want)):
        fail(f"{call} yielded batches that do not hold the data's examples.",
             "Take each batch from the data: yield features[batch_indices], labels[batch_indices].")


@graded("data_iter", "sgd")
def test_training_with_a_short_last_batch(student, ref, ctx):
    """With 1003 examples and batch 10, training divides the last batch of 3 by 3, not by 10."""
    n, batch_size, lr = 1003, 10, 0.03
    with seeded(ctx.seed):
        features, labels = ref.synthetic_data(ctx.tensor(TRUE_W), TRUE_B, n)
    epochs_of_batches = []
    for _ in range(2):
        call = "data_iter(10, features, labels) with 1003 examples"
        batches = validated("data_iter", student.data_iter)(batch_size, features, labels)
        sizes = [len(y) for _, y in batches]
        if sum(sizes) != n:
            fail(f"{call} yielded {sum(sizes)} examples in batches of sizes {sizes[-3:]} at the end; "
                 f"expected all {n}, the last batch holding 3.",
                 "Keep the last, shorter batch: slice up to min(i + batch_size, num_examples).")
        _expect_the_same_examples(call, batches, features, labels)
        epochs_of_batches.append(batches)
    w = torch.zeros(2, 1, device=ctx.device, requires_grad=True)
    b = torch.zeros(1, device=ctx.device, requires_grad=True)
    try:
        run = LinearRegressionRun.shared(ctx, ref, epochs_of_batches, w.detach(), lr, batch_size, divisor="len")
    except (RuntimeError, TypeError, ValueError, IndexError):
        run = None
    if run is not None and agrees_along(ctx.session, "sgd", run):
        return  # the student's sgd matches the reference at every step, short batches included
    twin_w, twin_b = w.detach().clone().requires_grad_(True), b.detach().clone().requires_grad_(True)
    step = 0
    for epoch, batches in enumerate(epochs_of_batches):
        for X, y in batches:
            step += 1
            for params in ((w, b), (twin_w, twin_b)):
                ref.squared_loss(ref.linreg(X, *params), y).sum().backward()
            grads = [p.grad.clone() for p in (w, b)]
            before = [p.detach().clone() for p in (w, b)]
            student.sgd([w, b], lr, len(y))
            ref.sgd([twin_w, twin_b], lr, len(y))
            if not (close(w, twin_w, 1e-4, 1e-6) and close(b, twin_b, 1e-4, 1e-6)):
                where = f"At step {step} (epoch {epoch + 1}) the batch held {len(y)} examples and "
                delta = (before[1] - b.detach()).reshape(-1)
                g = grads[1].reshape(-1)
                if bool(delta.abs().sum() > 0) and bool(g.abs().sum() > 0):
                    divisor = (lr * g / delta).median().item()
                    fail(where + f"your update was divided by {divisor:.4g}, not by {len(y)}.",
                         "sgd must divide by the batch_size it is given; the training loop passes the "
                         "real length of each batch, len(y).")
                fail(where + "your parameters no longer matched the reference's update.",
                     "See the sgd checks for the update rule.")
            if w.grad is not None:
                w.grad.zero_()
            if b.grad is not None:
                b.grad.zero_()
