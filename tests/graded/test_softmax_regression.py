"""Graded checks for softmax_regression.py (hidden from students: they use the reference)."""
import torch

from autograder.checks import fail, graded
from autograder.checks.helpers import (shape_of, check_finite_differences, check_gradients, close,
                                       expect_device, expect_varies, expect_tensor, fmt,
                                       reduction_hint)

SHAPES = ((2, 5), (4, 4), (1, 3), (3, 1))


# ---------------------------------------------------------------- softmax
def _softmax_call(student, ctx, n, q):
    X = ctx.randn(n, q, salt=f"sm{n}x{q}", scale=2.0)
    call = f"softmax(X) with X of shape ({n}, {q})"
    return X, call, expect_tensor(student.softmax(X), call, f"a tensor of shape ({n}, {q})")


@graded("softmax", public=True)
def test_softmax_shape(student, ref, ctx):
    """softmax keeps X's shape (n, q), on square and non-square inputs, on X's device."""
    for n, q in SHAPES:
        X, call, got = _softmax_call(student, ctx, n, q)
        expect_device(got, ctx.device, call)
        if tuple(got.shape) != (n, q):
            hint = ("Dividing by X_exp.sum(1) without keepdim=True gives a ({n},) vector that broadcasts "
                    "against the wrong axis; keep the sum as a column with keepdim=True.").format(n=n)
            fail(f"{call} returned {shape_of(got)}; expected ({n}, {q}).", hint)
        if q > 1:  # one class: every probability is 1
            expect_varies(got, call, "probabilities")


@graded("softmax")
def test_softmax_values(student, ref, ctx):
    """Each row of softmax(X) is exp(X[i]) / Σ exp(X[i]): non-negative, summing to 1."""
    for n, q in SHAPES:
        X, call, got = _softmax_call(student, ctx, n, q)
        want = ref.softmax(X)
        if got.shape != want.shape:
            fail(f"{call} returned {shape_of(got)}; expected {tuple(want.shape)}.",
                 "See the shape check.")
        if close(got, want):
            continue
        exp = X.exp()
        if n > 1 and close(got, exp / exp.sum(0, keepdim=True)):
            fail(f"{call} returned {fmt(got)}, whose columns sum to 1; expected {fmt(want)}, whose "
                 "rows sum to 1.", "Your softmax sums over columns (dim=0); each example is a row, "
                 "so sum over dim=1.")
        if n == q and close(got, exp / exp.sum(1)):
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                 "Without keepdim=True, X_exp.sum(1) has shape (n,) and divides the columns, not the "
                 "rows: write X_exp.sum(1, keepdim=True).")
        if close(got, exp / exp.sum()):
            fail(f"{call} returned {fmt(got)}, which sums to 1 over the whole matrix; expected each "
                 f"row to sum to 1: {fmt(want)}.", "Divide each row by its own sum: X_exp.sum(1, keepdim=True).")
        fail(f"{call} returned {fmt(got)}; expected {fmt(want)} (row sums "
             f"{fmt(got.detach().sum(1))}, expected 1).", "softmax(X)_ij = exp(X_ij) / Σ_k exp(X_ik).")


@graded("softmax")
def test_softmax_gradients(student, ref, ctx):
    """Gradients through softmax match the reference's and finite differences of your softmax."""
    for n, q in ((2, 3), (3, 3)):
        X = ctx.randn(n, q, salt=f"smg{n}{q}")
        weight = ctx.randn(n, q, salt=f"smw{n}{q}")
        check_gradients(student.softmax, ref.softmax, {"X": X}, ["X"], "softmax",
                        f"softmax(X) with X of shape ({n}, {q})", weight)
    check_finite_differences(student.softmax, {"X": ctx.randn(2, 3, salt="smfd")}, ["X"], "softmax",
                             "softmax(X) with X of shape (2, 3)")


@graded("softmax", advisory=True, public=True)
def test_softmax_large_logits(student, ref, ctx):
    """Advisory: softmax stays finite for logits near ±1000 (the book's version overflows)."""
    X = ctx.tensor([[1000.0, 999.0, 998.0], [-1000.0, 0.0, 1000.0]])
    got = expect_tensor(student.softmax(X), "softmax(X) with logits near 1000", "a tensor of shape (2, 3)")
    shifted = X - X.max(1, keepdim=True).values
    want = shifted.exp() / shifted.exp().sum(1, keepdim=True)
    if not (bool(torch.isfinite(got).all()) and close(got, want, 1e-4, 1e-6)):
        fail(f"softmax({fmt(X)}) returned {fmt(got)}; expected {fmt(want)}.",
             "exp(1000) overflows to inf and inf/inf is nan. Subtract each row's maximum first: "
             "softmax(X) = softmax(X − max) (the LogSumExp trick of the concise section).")


# ---------------------------------------------------------------- cross_entropy
CE_SHAPES = ((4, 3), (3, 3), (1, 5), (5, 2))


def _ce_call(student, ref, ctx, n, q):
    # Probabilities made without the reference: the shape check that uses them is public.
    y_hat = torch.softmax(ctx.randn(n, q, salt=f"ce{n}x{q}", scale=2.0), dim=1)
    y = ctx.randint(q, (n,), salt=f"cey{n}x{q}")
    call = f"cross_entropy(y_hat, y) with y_hat of shape ({n}, {q}) and y = {y.tolist()}"
    got = expect_tensor(student.cross_entropy(y_hat, y), call, f"a tensor of shape ({n},)")
    return y_hat, y, call, got


@graded("cross_entropy", public=True)
def test_cross_entropy_shape(student, ref, ctx):
    """cross_entropy returns one loss per example: a vector of shape (n,), on y_hat's device."""
    for n, q in CE_SHAPES:
        y_hat, y, call, got = _ce_call(student, ref, ctx, n, q)
        expect_device(got, ctx.device, call)
        if tuple(got.shape) == (n,):
            continue
        if got.numel() == 1 and n > 1:
            fail(f"{call} returned a single number ({fmt(got.reshape(()))}); expected one loss per example, "
                 f"shape ({n},).",
                 reduction_hint(got, -torch.log(y_hat[torch.arange(n), y])) or
                 "The 0.17 contract returns the vector of losses, one per example; do not reduce them.")
        if tuple(got.shape) == (n, 1):
            fail(f"{call} returned shape ({n}, 1); expected ({n},).",
                 "y_hat.gather(1, y.reshape(-1, 1)) keeps a column (gather comes from community ports, not "
                 "d2l's PyTorch code); index with y_hat[range(len(y_hat)), y] or add .squeeze(1).")
        if tuple(got.shape) == (n, n):
            fail(f"{call} returned shape ({n}, {n}); expected ({n},).",
                 "y_hat[:, y] picks every label's column for every row; pair row i with its own label: "
                 "y_hat[range(len(y_hat)), y].")
        fail(f"{call} returned {shape_of(got)}; expected ({n},).")


@graded("cross_entropy")
def test_cross_entropy_values(student, ref, ctx):
    """Entry i of cross_entropy(y_hat, y) is −log(y_hat[i, y[i]]), confident mistakes included."""
    for n, q in CE_SHAPES:
        y_hat, y, call, got = _ce_call(student, ref, ctx, n, q)
        want = ref.cross_entropy(y_hat, y)
        if got.numel() == 1 and n > 1:
            if abs(got.item() - want.mean().item()) < 1e-5:
                fail(f"{call} returned the mean loss {got.item():.4g}; expected each example's loss {fmt(want)}.",
                     "d2l 1.0's cross_entropy returns the mean; the 0.17 contract used here returns the vector.")
            fail(f"{call} returned one number {got.item():.4g}; expected {fmt(want)}.")
        if got.numel() != n:
            fail(f"{call} returned {got.numel()} values; expected {n}, one per example.",
                 "Pick each row's own label: y_hat[range(len(y_hat)), y].")
        flat = got.detach().reshape(-1)
        if close(flat, want):
            continue
        if close(flat, -want):
            fail(f"{call} returned {fmt(flat)}; expected {fmt(want)}.",
                 "The loss is −log(ŷ_y): without the minus sign it is negative.")
        if close(flat, want / torch.log(torch.tensor(2.0))) or close(flat, want / torch.log(torch.tensor(10.0))):
            fail(f"{call} returned {fmt(flat)}; expected {fmt(want)}.",
                 "Use the natural logarithm, torch.log, not log2 or log10.")
        if close(flat, -torch.log(1 - y_hat[range(n), y]).detach()):
            fail(f"{call} returned {fmt(flat)}; expected {fmt(want)}.",
                 "Take the log of the probability of the true class, not of its complement.")
        fail(f"{call} returned {fmt(flat)}; expected −log(y_hat[i, y[i]]) = {fmt(want)}.",
             "Row i's loss uses the probability of row i's own label y[i].")
    # A confident mistake: the true class at probability 1e-4 costs −log(1e-4) = 9.21. A floor or an ε
    # of up to 2e-6, added for safety, moves that by under 0.02; a floor at 1e-3 caps it at 6.91.
    y_hat = ctx.tensor([[0.9999, 0.0001], [0.001, 0.999]])
    y = ctx.tensor([1, 0], dtype=torch.int64)
    call = "cross_entropy(y_hat, y) with y_hat = [[0.9999, 0.0001], [0.001, 0.999]] and y = [1, 0]"
    got = expect_tensor(student.cross_entropy(y_hat, y), call, "a tensor of shape (2,)")
    want = ref.cross_entropy(y_hat, y)
    if got.numel() != 2 or not close(got.detach().reshape(-1), want, rtol=0, atol=0.02):
        fail(f"{call} returned {fmt(got)}; expected {fmt(want)}: a confident mistake costs a lot.",
             "A floor on the probabilities (clamp) or a large ε caps the loss of confident mistakes and stops "
             "their gradient; if you guard against log(0), use a tiny floor such as 1e-12.")


@graded("cross_entropy")
def test_cross_entropy_gradients(student, ref, ctx):
    """Gradients through cross_entropy match the reference's and finite differences."""
    y_hat = ref.softmax(ctx.randn(4, 3, salt="ceg"))
    y = ctx.randint(3, (4,), salt="cegy")
    call = f"cross_entropy(y_hat, y) with y_hat of shape (4, 3) and y = {y.tolist()}"

    def flat(fn):
        return lambda *args: _flat(fn(*args))

    check_gradients(flat(student.cross_entropy), flat(ref.cross_entropy), {"y_hat": y_hat, "y": y},
                    ["y_hat"], "cross_entropy", call, torch.linspace(0.5, 2.0, 4, device=ctx.device))
    check_finite_differences(flat(student.cross_entropy), {"y_hat": y_hat[:2], "y": y[:2]}, ["y_hat"],
                             "cross_entropy", "cross_entropy(y_hat, y) with y_hat of shape (2, 3)", eps=1e-7)


def _flat(value):
    return value.reshape(-1) if isinstance(value, torch.Tensor) else value


@graded("cross_entropy", advisory=True, public=True)
def test_cross_entropy_log_of_zero(student, ref, ctx):
    """Advisory: a predicted probability of exactly 0 for the true class gives a large finite loss."""
    y_hat = ctx.tensor([[0.0, 1.0], [0.5, 0.5]])
    y = ctx.tensor([0, 1], dtype=torch.int64)
    got = expect_tensor(student.cross_entropy(y_hat, y), "cross_entropy with a zero probability",
                        "a tensor of shape (2,)")
    if not bool(torch.isfinite(got).all()):
        fail(f"cross_entropy({fmt(y_hat)}, {y.tolist()}) returned {fmt(got)}: log(0) is −inf.",
             "Clamp the probabilities before the log, such as y_hat.clamp(min=1e-12), or work from the "
             "logits with the LogSumExp trick so that log(0) never arises.")
    if got.numel() == 2 and not float(_flat(got)[0]) > 10:
        fail(f"cross_entropy returned {fmt(got)} for a true class predicted with probability 0; "
             "expected a large loss (over 10) for the first example.",
             "A sure mistake must cost a lot; clamp at a tiny probability, not a large one.")
