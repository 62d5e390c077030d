"""Graded checks for analytic_solution.py (hidden from students: they use the reference).

The expected weights come from torch.linalg.lstsq in float64 (an orthogonal factorisation, not
the normal equations), so that the reference solution is itself held to an independent answer.
Tolerances: the inputs are float32 and well conditioned (condition number of Xb below about 10,
so of Xbᵀ Xb below about 100); solving the normal equations in float32 then loses at most about
100 × 6e-8 relative accuracy, far inside the 1e-3 used here.
"""
import torch

from autograder.checks import fail, graded
from autograder.checks.helpers import close, expect_device, expect_tensor, fmt, shape_of
from autograder.sandbox.errors import StudentRaised

PROBLEMS = ((50, 2, False), (20, 3, True), (8, 1, False), (100, 5, True))


def _lstsq(X, y):
    Xb = torch.cat([X, torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device)], dim=1).to(torch.float64)
    return torch.linalg.lstsq(Xb.cpu(), y.reshape(-1, 1).to(torch.float64).cpu()).solution.to(X.device)


def _problem(ctx, n, d, salt):
    X = ctx.randn(n, d, salt=f"X{salt}")
    w = ctx.randn(d, 1, salt=f"w{salt}")
    y = (X @ w).reshape(-1) + 0.5 + 0.1 * ctx.randn(n, salt=f"e{salt}")
    return X, y


# ---------------------------------------------------------------- absorb_bias
@graded("absorb_bias", public=True)
def test_absorb_bias_appends_ones(student, ref, ctx):
    """absorb_bias(X) is X with a last column of ones: shape (n, d + 1), X's dtype and device."""
    for n, d, dtype in ((4, 2, torch.float32), (1, 3, torch.float32), (5, 1, torch.float64)):
        X = ctx.randn(n, d, salt=f"ab{n}{d}", dtype=dtype)
        call = f"absorb_bias(X) with X of shape ({n}, {d}), {str(dtype).removeprefix('torch.')}"
        got = expect_tensor(student.absorb_bias(X), call, f"a tensor of shape ({n}, {d + 1})")
        expect_device(got, ctx.device, call)
        if tuple(got.shape) != (n, d + 1):
            fail(f"{call} returned {shape_of(got)}; expected ({n}, {d + 1}).",
                 "Concatenate a column of ones along dim=1: torch.cat([X, ones], dim=1) with ones of shape (n, 1).")
        if got.dtype != dtype:
            fail(f"{call} returned {got.dtype}; expected {dtype}, X's dtype.",
                 "Create the ones with dtype=X.dtype and device=X.device.")
        if close(got[:, :d], X) and bool((got[:, d] == 1).all()):
            continue
        if close(got[:, 1:], X) and bool((got[:, 0] == 1).all()):
            fail(f"{call} put the ones first; expected them last, so that the last weight is the bias.",
                 "Both conventions exist; this contract appends the column: torch.cat([X, ones], dim=1).")
        fail(f"{call} returned {fmt(got)}; expected X then a column of ones.")


# ---------------------------------------------------------------- analytic_solution
def _solve(student, X, y, call):
    got = expect_tensor(student.analytic_solution(X, y), call, f"a tensor of shape ({X.shape[1] + 1}, 1)")
    return got


@graded("analytic_solution", "absorb_bias")
def test_analytic_solution_matches_lstsq(student, ref, ctx):
    """The weights equal torch.linalg.lstsq's least-squares solution, bias last, of shape (d + 1, 1)."""
    for n, d, column in PROBLEMS:
        X, y = _problem(ctx, n, d, f"{n}{d}")
        y = y.reshape(-1, 1) if column else y
        call = f"analytic_solution(X, y) with X of shape ({n}, {d}) and y of shape {tuple(y.shape)}"
        got = _solve(student, X, y, call)
        expect_device(got, ctx.device, call)
        want = _lstsq(X, y)
        if tuple(got.shape) != (d + 1, 1):
            if got.numel() == d + 1:
                fail(f"{call} returned {shape_of(got)}; expected ({d + 1}, 1).",
                     "Solve against y as a column, y.reshape(-1, 1), and the weights come out as a column.")
            if got.numel() == d:
                fail(f"{call} returned {d} weights; expected {d + 1}: the d weights and the bias.",
                     "Absorb the bias first: solve with absorb_bias(X), not X.")
            fail(f"{call} returned {shape_of(got)}; expected ({d + 1}, 1).",
                 "With y of shape (n,), Xbᵀ y is (d + 1,); reshape y to (n, 1) so that shapes line up.")
        if close(got.to(torch.float64), want, rtol=1e-3, atol=1e-4):
            continue
        Xd = X.to(torch.float64)
        no_bias = torch.linalg.lstsq(Xd.cpu(), y.reshape(-1, 1).to(torch.float64).cpu()).solution.to(X.device)
        if close(got[:d].to(torch.float64), no_bias, rtol=1e-3, atol=1e-4):
            fail(f"{call} returned {fmt(got.reshape(-1))}; expected {fmt(want.reshape(-1))}.",
                 "These are the weights of a line through the origin: the ones column (the bias) was left out.")
        fail(f"{call} returned w = {fmt(got.reshape(-1))}; expected the least-squares solution "
             f"{fmt(want.reshape(-1))} (as torch.linalg.lstsq finds).",
             "Solve Xbᵀ Xb w = Xbᵀ y with Xb = absorb_bias(X): torch.linalg.solve(Xb.T @ Xb, Xb.T @ y).")


@graded("analytic_solution", "absorb_bias")
def test_analytic_solution_recovers_the_model(student, ref, ctx):
    """On data from y = Xw + b + small noise, the closed form recovers w and b."""
    true_w, true_b = ctx.tensor([[2.0], [-3.4]]), 4.2
    X = ctx.randn(1000, 2, salt="recover")
    y = X @ true_w + true_b + 0.01 * ctx.randn(1000, 1, salt="noise")
    call = "analytic_solution(X, y) on 1000 examples of y = X [2, −3.4] + 4.2 + noise(0.01)"
    got = _solve(student, X, y, call)
    want = torch.cat([true_w.reshape(-1), ctx.tensor([true_b])])
    # The least-squares error of each weight here has a standard deviation near 0.01/√1000 ≈ 3e-4.
    if got.numel() != 3 or not close(got.reshape(-1), want, rtol=0, atol=5e-3):
        fail(f"{call} returned {fmt(got.reshape(-1))}; expected about {want.tolist()} (bias last).",
             "See the check against torch.linalg.lstsq first.")


@graded("analytic_solution", "absorb_bias")
def test_analytic_solution_explains_rank_deficiency(student, ref, ctx):
    """A rank-deficient Xb (two equal features; a constant feature, the bias's twin; fewer examples
    than weights) raises ValueError."""
    base = ctx.randn(6, 1, salt="rank")
    constant = torch.full((6, 1), 2.0, device=ctx.device)
    # X itself has full rank in the last two cases: only Xb's rank, with the ones column, tells.
    cases = [(torch.cat([base, base], dim=1), "two equal columns"),
             (ctx.randn(2, 3, salt="wide"), "2 examples for 4 weights"),
             (torch.cat([ctx.randn(6, 1, salt="varying"), constant], dim=1),
              "a constant column, a multiple of the bias's"),
             (ctx.randn(3, 3, salt="square"), "3 examples for 4 weights")]
    for X, what in cases:
        y = ctx.randn(X.shape[0], salt=f"rank{what}")
        call = f"analytic_solution(X, y) with X of shape {tuple(X.shape)} ({what})"
        explain = (f"Here X has {what}, so absorb_bias(X) has rank {int(torch.linalg.matrix_rank(torch.cat([X, torch.ones(X.shape[0], 1, device=X.device)], 1)))} "
                   f"< {X.shape[1] + 1} columns: Xbᵀ Xb is singular, has no inverse, and infinitely many w fit "
                   "equally well. Check torch.linalg.matrix_rank(Xb) < Xb.shape[1] first and raise ValueError.")
        try:
            got = student.analytic_solution(X, y)
        except StudentRaised as raised:
            if raised.error.type == "ValueError":
                continue
            fail(f"{call} raised {raised.error.type}: {raised.error.message[:200]}; expected a ValueError "
                 "that says X is rank-deficient.", explain)
        finite = isinstance(got, torch.Tensor) and bool(torch.isfinite(got).all())
        fail(f"{call} returned {fmt(got.reshape(-1)) if isinstance(got, torch.Tensor) else got}"
             f"{'' if finite else ' (not finite)'}; expected a ValueError.", explain)


@graded("analytic_solution", advisory=True)
def test_analytic_solution_uses_a_solver(student, ref, ctx):
    """Advisory: the normal equations are solved with a solver, not by forming (XᵀX)⁻¹."""
    X, y = _problem(ctx, 30, 3, "solver")
    _solve(student, X, y, "analytic_solution(X, y) with X of shape (30, 3)")
    used = ctx.session.noted_calls.get("analytic_solution", [])
    if used:
        fail(f"Your analytic_solution forms an explicit inverse ({', '.join(used)}).",
             "torch.linalg.solve(A, b) solves A w = b directly: it costs less than inverting A and then "
             "multiplying, and loses less accuracy when A = XᵀX is ill-conditioned (its condition number is "
             "the square of X's). The formula (XᵀX)⁻¹Xᵀy is for reading, not for computing.")
