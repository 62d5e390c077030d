"""Graded checks for regularization_and_losses.py (hidden from students: they use the reference)."""
import math

import torch

from autograder.checks import fail, graded
from autograder.checks.helpers import (shape_of, check_finite_differences, check_gradients, close, expect_device,
                                       expect_tensor, fmt, reduction_hint)

LOGIT_SHAPES = ((2, 5), (4, 4), (1, 3), (3, 1))


def _column(ctx, n, salt, scale=1.0):
    return ctx.randn(n, 1, salt=salt, scale=scale)


# ---------------------------------------------------------------- l2_penalty
@graded("l2_penalty", public=True)
def test_l2_penalty_is_a_scalar(student, ref, ctx):
    """l2_penalty(w) returns one number (a tensor of shape ()), on w's device, for any shape of w."""
    for shape in ((3, 1), (2, 5), (4,)):
        w = ctx.randn(*shape, salt=f"l2s{shape}")
        call = f"l2_penalty(w) with w of shape {shape}"
        got = expect_tensor(student.l2_penalty(w), call, "a scalar tensor")
        expect_device(got, ctx.device, call)
        if got.numel() != 1:
            fail(f"{call} returned {shape_of(got)}; expected a single number.",
                 "Sum the squares over all entries: torch.sum(w ** 2) / 2.")


@graded("l2_penalty")
def test_l2_penalty_values(student, ref, ctx):
    """l2_penalty(w) is sum(w²) / 2: summed over all entries, halved, not averaged."""
    for shape in ((3, 1), (2, 5), (4,)):
        w = ctx.randn(*shape, salt=f"l2v{shape}")
        call = f"l2_penalty(w) with w = {fmt(w)}"
        got = expect_tensor(student.l2_penalty(w), call, "a scalar tensor")
        if got.numel() != 1:
            fail(f"{call} returned {shape_of(got)}; expected a single number.", "See the shape check.")
        value, want = got.reshape(()).item(), ref.l2_penalty(w).item()
        if math.isclose(value, want, rel_tol=1e-5, abs_tol=1e-6):
            continue
        squares = float((w ** 2).sum())
        if math.isclose(value, 2 * want, rel_tol=1e-5):
            fail(f"{call} returned {value:.6g}; expected {want:.6g}, half of it.",
                 "The book's penalty is ‖w‖²/2: the 1/2 makes its gradient exactly w.")
        if math.isclose(value, want / w.numel(), rel_tol=1e-5) or math.isclose(value, squares / w.numel(), rel_tol=1e-5):
            fail(f"{call} returned {value:.6g}, an average over the {w.numel()} entries; expected {want:.6g}.",
                 "Sum the squares (torch.sum), do not average them (mean): the penalty grows with the number of weights.")
        if math.isclose(value, math.sqrt(squares), rel_tol=1e-5) or math.isclose(value, math.sqrt(squares) / 2, rel_tol=1e-5):
            fail(f"{call} returned {value:.6g}, the norm of w; expected {want:.6g}.",
                 "The penalty uses the squared norm, sum(w ** 2), not the norm itself.")
        fail(f"{call} returned {value:.6g}; expected sum(w²)/2 = {want:.6g}.")


@graded("l2_penalty")
def test_l2_penalty_gradient(student, ref, ctx):
    """The gradient of l2_penalty(w) is w itself, as autograd and finite differences agree."""
    w = ctx.randn(3, 2, salt="l2g")
    check_gradients(student.l2_penalty, ref.l2_penalty, {"w": w}, ["w"], "l2_penalty",
                    "l2_penalty(w) with w of shape (3, 2)")
    check_finite_differences(student.l2_penalty, {"w": ctx.randn(2, 2, salt="l2fd")}, ["w"], "l2_penalty",
                             "l2_penalty(w) with w of shape (2, 2)")


# ---------------------------------------------------------------- l1_loss
def _l1_call(student, ctx, n, column, salt):
    y_hat = _column(ctx, n, f"l1h{salt}")
    y = ctx.randn(n, salt=f"l1y{salt}")
    y = y.reshape(n, 1) if column else y
    call = f"l1_loss(y_hat, y) with y_hat of shape ({n}, 1) and y of shape {tuple(y.shape)}"
    return y_hat, y, call, expect_tensor(student.l1_loss(y_hat, y), call, f"a tensor of shape ({n}, 1)")


@graded("l1_loss")
def test_l1_loss_values(student, ref, ctx):
    """l1_loss gives |ŷ − y| per example, of ŷ's shape (n, 1), for y of shape (n,) or (n, 1)."""
    for n, column in ((4, False), (4, True), (1, False), (3, False)):
        y_hat, y, call, got = _l1_call(student, ctx, n, column, f"{n}{column}")
        expect_device(got, ctx.device, call)
        want = ref.l1_loss(y_hat, y)
        if got.shape == want.shape and close(got, want):
            continue
        if got.numel() == 1 and n > 1 and math.isclose(got.item(), want.mean().item(), rel_tol=1e-5):
            fail(f"{call} returned the mean {got.item():.4g}; expected each example's error {fmt(want)}.",
                 "Return the per-example losses; the training loop sums them (l.sum().backward()).")
        if tuple(got.shape) == (n, n) and n > 1:
            fail(f"{call} returned shape ({n}, {n}); expected ({n}, 1).",
                 "ŷ − y with ŷ of shape (n, 1) and y of shape (n,) broadcasts to (n, n): reshape y "
                 "to ŷ's shape first, y.reshape(y_hat.shape).")
        if got.shape == want.shape and close(got, want ** 2 / 2):
            fail(f"{call} returned {fmt(got)}, the squared loss; expected {fmt(want)}.", "The L1 loss is |ŷ − y|.")
        fail(f"{call} returned {fmt(got)}; expected |ŷ − y| = {fmt(want)}.")


@graded("l1_loss")
def test_l1_loss_gradient(student, ref, ctx):
    """The gradient of l1_loss is sign(ŷ − y), as autograd and finite differences agree."""
    y_hat, y = _column(ctx, 5, "l1gh"), _column(ctx, 5, "l1gy") + 0.05  # no example exactly at the kink
    check_gradients(student.l1_loss, ref.l1_loss, {"y_hat": y_hat, "y": y}, ["y_hat"], "l1_loss",
                    "l1_loss(y_hat, y) with shapes (5, 1) and (5, 1)",
                    torch.linspace(0.5, 1.5, 5, device=ctx.device).reshape(5, 1))
    check_finite_differences(student.l1_loss, {"y_hat": y_hat[:3], "y": y[:3]}, ["y_hat"], "l1_loss",
                             "l1_loss(y_hat, y) with shapes (3, 1) and (3, 1)")


# ---------------------------------------------------------------- huber_loss
def _huber_inputs(ctx, n, salt):
    """Residuals on both sides of every tested delta, none exactly at a boundary."""
    y = ctx.randn(n, salt=f"hy{salt}")
    r = torch.tensor([0.3, -0.7, 1.6, -2.4, 4.0, -0.05, 2.9, -5.5][:n], device=ctx.device)
    return (y + r).reshape(n, 1), y


@graded("huber_loss")
def test_huber_loss_values(student, ref, ctx):
    """huber_loss is r²/2 for |r| ≤ δ and δ(|r| − δ/2) beyond, per example, for δ = 1 and δ = 2.5."""
    for delta in (1.0, 2.5):
        for n in (8, 3):
            y_hat, y = _huber_inputs(ctx, n, f"{delta}{n}")
            call = f"huber_loss(y_hat, y, delta={delta}) with residuals {fmt((y_hat.reshape(-1) - y))}"
            got = expect_tensor(student.huber_loss(y_hat, y, delta), call, f"a tensor of shape ({n}, 1)")
            expect_device(got, ctx.device, call)
            want = ref.huber_loss(y_hat, y, delta)
            if got.shape == want.shape and close(got, want):
                continue
            if got.numel() == 1 and n > 1:
                fail(f"{call} returned one number {got.reshape(-1)[0].item():.4g}; expected each example's loss "
                     f"{fmt(want)}.", "Return the per-example losses, of y_hat's shape; do not average them.")
            if got.shape != want.shape:
                fail(f"{call} returned {shape_of(got)}; expected {tuple(want.shape)}.",
                     "Reshape y to y_hat's shape before subtracting: y.reshape(y_hat.shape).")
            r = (y_hat - y.reshape(y_hat.shape)).abs()
            inside = r <= delta
            if close(got, torch.where(inside, delta * (r - delta / 2), r ** 2 / 2)):
                fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                     "The branches are swapped: the quadratic part is for small residuals, |r| ≤ δ.")
            if close(got[inside], want[inside]) and close(got[~inside], (delta * r)[~inside]):
                fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                     "Beyond δ the loss is δ(|r| − δ/2): without the −δ²/2 it jumps at |r| = δ.")
            if close(got[inside], (r ** 2)[inside]):
                fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                     "Near 0 the Huber loss is r²/2, with the 1/2 that makes it meet the linear part smoothly.")
            if delta != 1.0 and close(got, ref.huber_loss(y_hat, y, 1.0)):
                fail(f"{call} returned the loss for δ = 1; expected the one for δ = {delta}: {fmt(want)}.",
                     "Use the delta argument instead of a fixed 1.")
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                 "r²/2 where |r| ≤ δ, δ(|r| − δ/2) elsewhere, with r = ŷ − y.")


@graded("huber_loss")
def test_huber_loss_gradient(student, ref, ctx):
    """The gradient of huber_loss is r inside δ and δ·sign(r) beyond, as autograd and finite differences agree."""
    y_hat, y = _huber_inputs(ctx, 8, "grad")
    weight = torch.linspace(0.5, 1.5, 8, device=ctx.device).reshape(8, 1)
    for delta in (1.0, 2.5):
        check_gradients(lambda a, b: student.huber_loss(a, b, delta), lambda a, b: ref.huber_loss(a, b, delta),
                        {"y_hat": y_hat, "y": y}, ["y_hat"], "huber_loss",
                        f"huber_loss(y_hat, y, delta={delta}) with shapes (8, 1) and (8,)", weight)
    check_finite_differences(lambda a, b: student.huber_loss(a, b, 1.0), {"y_hat": y_hat[:4], "y": y[:4]},
                             ["y_hat"], "huber_loss", "huber_loss(y_hat, y, delta=1.0) with shapes (4, 1) and (4,)")


# ---------------------------------------------------------------- log_softmax
def _log_softmax_call(student, X, call):
    got = expect_tensor(student.log_softmax(X), call, f"a tensor of shape {tuple(X.shape)}")
    if got.shape != X.shape:
        hint = ("A sum or max without keepdim=True has shape (n,) and broadcasts against the wrong axis: "
                "keep it as a column with keepdim=True.")
        fail(f"{call} returned {shape_of(got)}; expected {tuple(X.shape)}.", hint)
    return got


@graded("log_softmax")
def test_log_softmax_values(student, ref, ctx):
    """Row i of log_softmax(X) is X[i] − log Σ exp(X[i]), on square and non-square X."""
    for n, q in LOGIT_SHAPES:
        X = ctx.randn(n, q, salt=f"ls{n}{q}", scale=2.0)
        call = f"log_softmax(X) with X of shape ({n}, {q})"
        got = _log_softmax_call(student, X, call)
        expect_device(got, ctx.device, call)
        want = ref.log_softmax(X)
        if close(got, want, 1e-5, 1e-5):
            continue
        if n > 1 and close(got, X - torch.log(torch.exp(X).sum(0, keepdim=True)), 1e-5, 1e-5):
            fail(f"{call} returned {fmt(got)}, normalised over columns; expected {fmt(want)}.",
                 "Each example is a row: take the max and the sum over dim=1.")
        if close(got.exp(), want.exp(), 1e-5, 1e-6):
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.", "Return the log of the probabilities.")
        fail(f"{call} returned {fmt(got)}; expected X − logsumexp(X) row by row = {fmt(want)} "
             f"(rows of exp(result) should sum to 1; yours sum to {fmt(got.detach().exp().sum(1))}).")


@graded("log_softmax")
def test_log_softmax_large_logits(student, ref, ctx):
    """Logits of ±1000, and rows of very different sizes, give finite, correct log-probabilities."""
    cases = [ctx.tensor([[1000.0, 0.0, -1000.0], [0.0, 1.0, 2.0]]),
             ctx.tensor([[1000.0, 1000.0], [-1000.0, -1000.0]]),
             ctx.tensor([[-1000.0, -999.0, -1001.0]])]
    for X in cases:
        call = f"log_softmax(X) with X = {fmt(X)}"
        got = _log_softmax_call(student, X, call)
        want = ref.log_softmax(X)
        # float32's spacing near 1000 is 6.1e-5: X − (m + log Σ exp(X − m)), as correct as
        # (X − m) − log Σ exp(X − m), rounds m + log Σ to within half of it. 1e-4 admits both.
        if bool(torch.isfinite(got).all()) and close(got, want, 1e-5, 1e-4):
            continue
        if not bool(torch.isfinite(got).all()):
            naive = torch.log(torch.exp(X) / torch.exp(X).sum(1, keepdim=True))
            global_max = X - X.max() - torch.log(torch.exp(X - X.max()).sum(1, keepdim=True))
            if X.shape[0] > 1 and torch.equal(torch.isfinite(got), torch.isfinite(global_max)) \
                    and not bool(torch.isfinite(global_max).all()):
                fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                     "Subtract each row's own maximum (X.max(dim=1, keepdim=True)), not the largest entry "
                     "of the whole matrix: a row far below it underflows to exp(…) = 0 and log(0) = −inf.")
            hint = ("exp(1000) overflows to inf: subtract each row's maximum m first, "
                    "log_softmax(X) = X − m − log Σ exp(X − m).")
            if torch.equal(torch.isfinite(got), torch.isfinite(naive)):
                hint = "log(softmax(X)) overflows or takes log(0) at ±1000: " + hint
            fail(f"{call} returned {fmt(got)}, which is not finite; expected {fmt(want)}.", hint)
        fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
             "After subtracting the row maximum m, add it back correctly: X − m − log Σ exp(X − m).")


@graded("log_softmax")
def test_log_softmax_gradients(student, ref, ctx):
    """Gradients through log_softmax match the reference's and finite differences of your function."""
    for n, q in ((2, 3), (3, 3)):
        X = ctx.randn(n, q, salt=f"lsg{n}{q}")
        check_gradients(student.log_softmax, ref.log_softmax, {"X": X}, ["X"], "log_softmax",
                        f"log_softmax(X) with X of shape ({n}, {q})", ctx.randn(n, q, salt=f"lsw{n}{q}"))
    check_finite_differences(student.log_softmax, {"X": ctx.randn(2, 3, salt="lsfd")}, ["X"], "log_softmax",
                             "log_softmax(X) with X of shape (2, 3)")


# ---------------------------------------------------------------- cross_entropy_from_logits
def _ce_call(student, logits, y):
    call = f"cross_entropy_from_logits(logits, y) with logits of shape {tuple(logits.shape)} and y = {y.tolist()}"
    got = expect_tensor(student.cross_entropy_from_logits(logits, y), call, f"a tensor of shape ({len(y)},)")
    return call, got


@graded("cross_entropy_from_logits", "log_softmax")  # built on the student's log_softmax
def test_cross_entropy_from_logits_values(student, ref, ctx):
    """Entry i is −log_softmax(logits)[i, y[i]]: one loss per example, shape (n,)."""
    for n, q in ((4, 3), (3, 3), (1, 5), (5, 2)):
        logits = ctx.randn(n, q, salt=f"ce{n}{q}", scale=2.0)
        y = ctx.randint(q, (n,), salt=f"cey{n}{q}")
        call, got = _ce_call(student, logits, y)
        expect_device(got, ctx.device, call)
        want = ref.cross_entropy_from_logits(logits, y)
        if tuple(got.shape) == (n,) and close(got, want, 1e-5, 1e-5):
            continue
        if got.numel() == 1 and n > 1:
            fail(f"{call} returned one number {got.reshape(-1)[0].item():.4g}; expected each example's loss {fmt(want)}.",
                 "Return the vector of per-example losses; leave out .mean() (the 0.17 contract).")
        if tuple(got.shape) == (n, n) and n > 1:
            fail(f"{call} returned shape ({n}, {n}); expected ({n},).",
                 "logits[:, y] picks every label's column for every row; pair row i with its own label: "
                 "[range(n), y].")
        if tuple(got.shape) != (n,):
            fail(f"{call} returned {shape_of(got)}; expected ({n},).",
                 "Index with [range(len(logits)), y] to get one value per example.")
        if close(got, -want):
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.", "The loss is −log p(y): mind the sign.")
        fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
             "Take row i's log-softmax at column y[i], and negate it.")


@graded("cross_entropy_from_logits", "log_softmax")
def test_cross_entropy_from_logits_large_logits(student, ref, ctx):
    """Logits of ±1000 give finite losses: 0 for a confident right answer, 2000 for a confident wrong one."""
    logits = ctx.tensor([[1000.0, -1000.0], [1000.0, -1000.0], [0.0, 0.0]])
    y = ctx.tensor([0, 1, 1], dtype=torch.int64)
    call, got = _ce_call(student, logits, y)
    want = ref.cross_entropy_from_logits(logits, y)
    if tuple(got.shape) == (3,) and bool(torch.isfinite(got).all()) and close(got, want, 1e-5, 1e-3):
        return
    if tuple(got.shape) == (3,) and not bool(torch.isfinite(got).all()):
        fail(f"cross_entropy_from_logits with logits {fmt(logits)} and y = {y.tolist()} returned {fmt(got)}; "
             f"expected {fmt(want)}.",
             "Going through probabilities, softmax then log, gives log(0) = −inf: work with log_softmax "
             "(the LogSumExp trick) all the way.")
    fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.", reduction_hint(got, want))


@graded("cross_entropy_from_logits", "log_softmax")
def test_cross_entropy_from_logits_gradients(student, ref, ctx):
    """The gradient with respect to the logits is softmax(logits) − one_hot(y), row by row."""
    logits = ctx.randn(4, 3, salt="ceg")
    y = ctx.randint(3, (4,), salt="cegy")
    call = f"cross_entropy_from_logits(logits, y) with logits of shape (4, 3) and y = {y.tolist()}"
    check_gradients(student.cross_entropy_from_logits, ref.cross_entropy_from_logits, {"logits": logits, "y": y},
                    ["logits"], "cross_entropy_from_logits", call, torch.linspace(0.5, 2.0, 4, device=ctx.device))
    check_finite_differences(student.cross_entropy_from_logits, {"logits": logits[:2], "y": y[:2]}, ["logits"],
                             "cross_entropy_from_logits", "cross_entropy_from_logits with logits of shape (2, 3)")
