"""Graded checks for mlp.py (hidden from students: they use the reference)."""
import torch

from autograder.checks import Each, fail, graded
from autograder.checks.helpers import (check_finite_differences, check_gradients, close, expect_device,
                                       expect_tensor, fmt, shape_of)

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [[0.0], [1.0], [1.0], [0.0]]
XOR_STEPS, XOR_LR, XOR_HIDDEN = 300, 0.1, 8


def _elementwise(student, ref, ctx, name, X, call):
    got = expect_tensor(getattr(student, name)(X), call, f"a tensor of shape {tuple(X.shape)}")
    expect_device(got, ctx.device, call)
    if got.shape != X.shape:
        fail(f"{call} returned {shape_of(got)}; expected {tuple(X.shape)}: an activation acts on "
             "each entry and keeps the shape.")
    return got, getattr(ref, name)(X)


def _grad_at(student_fn, X):
    leaf = X.detach().clone().requires_grad_(True)
    out = student_fn(leaf)
    if not isinstance(out, torch.Tensor) or not out.requires_grad:
        return None
    out.sum().backward()
    return leaf.grad


# ---------------------------------------------------------------- relu
@graded("relu")
def test_relu_values(student, ref, ctx):
    """relu(X) is max(x, 0) entry by entry, for any shape, with relu(0) = 0."""
    for shape in ((5,), (3, 4), (2, 1, 3)):
        X = ctx.randn(*shape, salt=f"relu{shape}")
        X.reshape(-1)[0] = 0.0
        call = f"relu(X) with X of shape {shape}"
        got, want = _elementwise(student, ref, ctx, "relu", X, call)
        if close(got, want):
            continue
        if close(got, X.abs()):
            fail(f"{call} returned |X|; expected max(X, 0) = {fmt(want)}.", "Negative inputs become 0, not positive.")
        if close(got, (X > 0).to(X.dtype)):
            fail(f"{call} returned 0s and 1s; expected max(X, 0) = {fmt(want)}.",
                 "That is the derivative of ReLU (a step); ReLU itself keeps the positive values.")
        fail(f"{call} returned {fmt(got)}; expected max(X, 0) = {fmt(want)}.")


@graded("relu")
def test_relu_gradients(student, ref, ctx):
    """relu's gradient is 1 for x > 0, 0 for x < 0, and a value in [0, 1] at exactly 0."""
    X = ctx.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
    grad = _grad_at(student.relu, X)
    if grad is None:
        fail("No gradient reached X through your relu: the output is cut off from autograd's graph.",
             "Compute it with torch operations on X (torch.max, torch.clamp, a mask), not .detach() or .item().")
    call = f"the gradient of relu at x = {X.tolist()}"
    away = torch.tensor([True, True, False, True, True], device=X.device)
    if not close(grad[away], ctx.tensor([0.0, 0.0, 1.0, 1.0])):
        fail(f"{call} is {fmt(grad)}; expected 0 for x < 0 and 1 for x > 0.",
             "ReLU is the identity for positive inputs and constant 0 for negative ones.")
    at_zero = grad[2].item()
    if not (0.0 <= at_zero <= 1.0):
        fail(f"{call} is {at_zero:g} at x = 0; expected a value in [0, 1] (any subgradient of ReLU).",
             "At 0, ReLU's slope jumps from 0 to 1; torch.relu picks 0, the book's torch.max(X, 0) gives 0.5.")


# ---------------------------------------------------------------- sigmoid
@graded("sigmoid")
def test_sigmoid_values(student, ref, ctx):
    """sigmoid(X) is 1 / (1 + exp(−x)) entry by entry, a number in [0, 1] even at x = ±1000."""
    for shape in ((6,), (3, 4)):
        X = ctx.randn(*shape, salt=f"sig{shape}", scale=3.0)
        call = f"sigmoid(X) with X of shape {shape}"
        got, want = _elementwise(student, ref, ctx, "sigmoid", X, call)
        if close(got, want):
            continue
        if close(got, 1 - want):
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                 "The exponent is −x: sigmoid(x) = 1 / (1 + exp(−x)) rises from 0 to 1.")
        if close(got, torch.tanh(X)):
            fail(f"{call} returned tanh(X); expected {fmt(want)}.", "tanh maps to (−1, 1); the sigmoid maps to (0, 1).")
        fail(f"{call} returned {fmt(got)}; expected 1 / (1 + exp(−x)) = {fmt(want)}.")
    X = ctx.tensor([-1000.0, -100.0, 100.0, 1000.0])
    call = "sigmoid(X) with X = [−1000, −100, 100, 1000]"
    got, _ = _elementwise(student, ref, ctx, "sigmoid", X, call)
    # The book's 1 / (1 + exp(−x)) gives [0, 3.7e-44, 1, 1] here: exp overflowing to inf is harmless
    # in a denominator. Only the values are held here; gradients this far out are advisory.
    if not bool(torch.isfinite(got).all()) or not close(got, ctx.tensor([0.0, 0.0, 1.0, 1.0]), atol=1e-6):
        finite = torch.isfinite(got.detach()).tolist()
        overflowed = [x for x, ok in zip(X.tolist(), finite) if not ok]
        fail(f"{call} returned {fmt(got)}; expected about [0, 0, 1, 1]: the sigmoid is a number in (0, 1) "
             "for every x.",
             f"exp overflows to inf beyond ±88 in float32, and inf / inf is nan (at x = {overflowed}): "
             "1 / (1 + exp(−x)) only divides by the overflow, which gives 0." if overflowed else None)


@graded("sigmoid")
def test_sigmoid_gradients(student, ref, ctx):
    """sigmoid's gradient is sigmoid(x)(1 − sigmoid(x)), as autograd and finite differences agree."""
    X = ctx.randn(3, 4, salt="sigg", scale=2.0)
    check_gradients(student.sigmoid, ref.sigmoid, {"X": X}, ["X"], "sigmoid", "sigmoid(X) with X of shape (3, 4)",
                    ctx.randn(3, 4, salt="sigw"))
    check_finite_differences(student.sigmoid, {"X": ctx.randn(5, salt="sigfd")}, ["X"], "sigmoid",
                             "sigmoid(X) with X of shape (5,)")


@graded("sigmoid", advisory=True, public=True)
def test_sigmoid_saturates_cleanly(student, ref, ctx):
    """Advisory: far from 0 (x = ±100, ±1000) sigmoid and its gradient stay finite, near 0 and 1."""
    X = ctx.tensor([-1000.0, -100.0, 100.0, 1000.0])
    leaf = X.clone().requires_grad_(True)
    got = expect_tensor(student.sigmoid(leaf), "sigmoid at ±100 and ±1000", "a tensor of shape (4,)")
    if not bool(torch.isfinite(got).all()) or not close(got.detach(), ctx.tensor([0.0, 0.0, 1.0, 1.0]), atol=1e-6):
        fail(f"sigmoid({X.tolist()}) returned {fmt(got)}; expected values near [0, 0, 1, 1].")
    if got.requires_grad:
        got.sum().backward()
        if leaf.grad is None or not bool(torch.isfinite(leaf.grad).all()):
            fail(f"The gradient of sigmoid at {X.tolist()} is {fmt(leaf.grad)}: exp(−x) overflows to inf "
                 "for x = −1000, and inf/inf is nan.",
                 "For x < 0 compute exp(x) / (1 + exp(x)) instead, which never overflows (torch.where picks "
                 "the stable form per entry).")


# ---------------------------------------------------------------- hard_sigmoid
@graded("hard_sigmoid", "relu")  # the book's hard sigmoid is built from the student's relu
def test_hard_sigmoid_is_two_relus(student, ref, ctx):
    """hard_sigmoid(x) equals (relu(x + 1) − relu(x − 1)) / 2: 0 below −1, 1 above 1, linear between."""
    X = torch.linspace(-3.0, 3.0, 25, device=ctx.device)  # the kinks ±1 are grid points
    call = "hard_sigmoid(X) with X = linspace(−3, 3, 25)"
    got, want = _elementwise(student, ref, ctx, "hard_sigmoid", X, call)
    if close(got, want):
        return
    if close(got, ref.relu(X + 1) - ref.relu(X - 1)):
        fail(f"{call} returned values from 0 to 2; expected 0 to 1: {fmt(want)}.",
             "Divide the difference of the two ReLUs by 2.")
    if close(got, ref.relu(X + 1) / 2):
        fail(f"{call} keeps growing above x = 1; expected it to stay at 1.",
             "The second ReLU, relu(x − 1), cancels the slope beyond x = 1: subtract it.")
    if close(got, (X + 1) / 2):
        fail(f"{call} returned the line (x + 1)/2 everywhere; expected it clipped to [0, 1].",
             "Build it from two ReLUs: (relu(x + 1) − relu(x − 1)) / 2.")
    fail(f"{call} returned {fmt(got)}; expected (relu(x + 1) − relu(x − 1)) / 2 = {fmt(want)}.")


@graded("hard_sigmoid", "relu")
def test_hard_sigmoid_gradients(student, ref, ctx):
    """hard_sigmoid's gradient is 1/2 on (−1, 1) and 0 outside, with a value in [0, 1/2] at the kinks."""
    X = ctx.tensor([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
    grad = _grad_at(student.hard_sigmoid, X)
    if grad is None:
        fail("No gradient reached X through your hard_sigmoid: the output is cut off from autograd's graph.",
             "Compute it from X with torch operations, such as your relu.")
    call = f"the gradient of hard_sigmoid at x = {X.tolist()}"
    smooth = torch.tensor([True, False, True, True, True, False, True], device=X.device)
    if not close(grad[smooth], ctx.tensor([0.0, 0.5, 0.5, 0.5, 0.0])):
        fail(f"{call} is {fmt(grad)}; expected 0 outside [−1, 1] and 1/2 inside.",
             "The slope of (x + 1)/2 is 1/2; each ReLU contributes its own slope, halved.")
    kinks = grad[~smooth]
    if not bool(((kinks >= 0) & (kinks <= 0.5)).all()):
        fail(f"{call} is {fmt(kinks)} at x = ±1; expected values in [0, 1/2].",
             "At a kink any slope between the two sides is valid; a value outside them is not.")


# ---------------------------------------------------------------- mlp
def _params(ctx, d, h, q, salt):
    return [ctx.randn(d, h, salt=f"W1{salt}"), ctx.randn(h, salt=f"b1{salt}"),
            ctx.randn(h, q, salt=f"W2{salt}"), ctx.randn(q, salt=f"b2{salt}")]


@graded("mlp", "relu")
def test_mlp_values(student, ref, ctx):
    """mlp(X, params) is relu(X W1 + b1) W2 + b2 with X flattened per example, of shape (n, q)."""
    for x_shape, (d, h, q) in (((5, 4), (4, 3, 2)), ((3, 1, 2, 2), (4, 6, 3)), ((1, 3), (3, 2, 1))):
        X = ctx.randn(*x_shape, salt=f"mlpx{x_shape}")
        params = _params(ctx, d, h, q, f"{x_shape}")
        call = f"mlp(X, params) with X of shape {x_shape} and W1 {d}×{h}, W2 {h}×{q}"
        got = expect_tensor(student.mlp(X, params), call, f"a tensor of shape ({x_shape[0]}, {q})")
        expect_device(got, ctx.device, call)
        want = ref.mlp(X, params)
        if got.shape == want.shape and close(got, want, 1e-5, 1e-5):
            continue
        if got.shape != want.shape:
            fail(f"{call} returned {shape_of(got)}; expected {tuple(want.shape)}.",
                 "Flatten each example first: X.reshape(-1, W1.shape[0]).")
        W1, b1, W2, b2 = params
        flat = X.reshape(-1, d)
        if close(got, (flat @ W1 + b1) @ W2 + b2, 1e-5, 1e-5):
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                 "Without the ReLU between the layers, two linear layers collapse into one.")
        if close(got, ref.relu((flat @ W1 + b1) @ W2 + b2), 1e-5, 1e-5):
            fail(f"{call} returned {fmt(got)}; expected {fmt(want)}.",
                 "The ReLU goes on the hidden layer, not on the output.")
        fail(f"{call} returned {fmt(got)}; expected relu(X W1 + b1) W2 + b2 = {fmt(want)}.")


def _forward_backward(student, session, X, params, grad_out, call):
    """The student's mlp output and its parameters' gradients for the output gradient ``grad_out``
    (one round trip: the parameters sit inside a list, which plain calls do not differentiate)."""
    got = session.call_stacked("mlp", [X,
                                       [Each(p.unsqueeze(0), leaf=True) for p in params]], 1,
                               grad_output=grad_out.unsqueeze(0))
    if got is None:
        out = expect_tensor(student.mlp(X, [p.detach().clone().requires_grad_(True) for p in params]), call,
                            f"a tensor of shape {tuple(grad_out.shape)}")
        if out.shape != grad_out.shape:
            fail(f"{call} returned shape {tuple(out.shape)}; expected {tuple(grad_out.shape)}.", "See the values check.")
        fail(f"No gradient reached every parameter through your mlp ({call}).",
             "Use all of W1, b1, W2, b2 in the computation, without .detach() or .data.")
    return got.result[0], [g[0] for g in got.grads]


@graded("mlp", "relu")
def test_mlp_gradients(student, ref, ctx):
    """Gradients through mlp reach all four parameters and match the reference's."""
    X = ctx.randn(4, 3, salt="mlpgx")
    params = _params(ctx, 3, 5, 2, "g")
    weight = ctx.randn(4, 2, salt="mlpgw")
    call = "mlp(X, params) with X of shape (4, 3), W1 3×5, W2 5×2"
    _, grads = _forward_backward(student, ctx.session, X, params, weight, call)
    leaves = [p.detach().clone().requires_grad_(True) for p in params]
    (ref.mlp(X, leaves) * weight).sum().backward()
    for name, got, leaf in zip(("W1", "b1", "W2", "b2"), grads, leaves):
        if not close(got, leaf.grad, 1e-4, 1e-5):
            fail(f"The gradient with respect to {name} is wrong for {call}: expected {fmt(leaf.grad)}, your mlp "
                 f"gave {fmt(got)}.", "The forward values may match while the graph does not, for example "
                 "when part of the computation goes through .detach() or .data.")


class _XorRun:
    """The reference's gradient descent on XOR, every state kept (the same for every submission)."""

    def __init__(self, ref, device):
        g = torch.Generator().manual_seed(0)  # fixed: this start fits XOR, and the check asserts it does
        params = [torch.randn(2, XOR_HIDDEN, generator=g), torch.zeros(XOR_HIDDEN),
                  torch.randn(XOR_HIDDEN, 1, generator=g) * 0.5, torch.zeros(1)]
        params = [p.to(device).requires_grad_(True) for p in params]
        X, y = torch.tensor(XOR_X, device=device), torch.tensor(XOR_Y, device=device)
        self.X, self.y, states, outs, grads_out, grads = X, y, [], [], [], []
        self.start = [p.detach().clone() for p in params]
        for _ in range(XOR_STEPS):
            states.append([p.detach().clone() for p in params])
            out = ref.mlp(X, params)
            outs.append(out.detach())
            grads_out.append((out - y).detach())
            ((out - y) ** 2 / 2).sum().backward()
            grads.append([p.grad.detach().clone() for p in params])
            with torch.no_grad():
                for p in params:
                    p -= XOR_LR * p.grad
                    p.grad.zero_()
        self.final = ref.mlp(X, params).detach()
        self.states = [torch.stack([s[i] for s in states]) for i in range(4)]
        self.grads = [torch.stack([g_[i] for g_ in grads]) for i in range(4)]
        self.outs, self.grads_out = torch.stack(outs), torch.stack(grads_out)


def _linear_on_xor(device) -> int:
    """How many XOR points a linear layer gets right after the same training: at most 3, never 4."""
    g = torch.Generator().manual_seed(0)
    W, b = torch.randn(2, 1, generator=g).to(device).requires_grad_(True), torch.zeros(1, device=device, requires_grad=True)
    X, y = torch.tensor(XOR_X, device=device), torch.tensor(XOR_Y, device=device)
    for _ in range(XOR_STEPS):
        ((X @ W + b - y) ** 2 / 2).sum().backward()
        with torch.no_grad():
            for p in (W, b):
                p -= XOR_LR * p.grad
                p.grad.zero_()
    return int(((X @ W + b > 0.5).float() == y).sum())


@graded("mlp", "relu")
def test_mlp_fits_xor_where_a_linear_layer_cannot(student, ref, ctx):
    """Trained by gradient descent on XOR, your mlp classifies all four points; a linear layer cannot."""
    run = ctx.reference_run("xor", lambda _key: _XorRun(ref, ctx.device))
    if not bool(((run.final > 0.5).float() == run.y).all()) or _linear_on_xor(ctx.device) == 4:
        raise RuntimeError("the XOR check's own set-up is broken: the reference MLP must fit and a line must not")
    got = ctx.session.call_stacked("mlp", [run.X, [Each(s, leaf=True) for s in run.states]], XOR_STEPS,
                                   grad_output=run.grads_out)
    if got is not None and close(got.result, run.outs, 1e-4, 1e-5) and len(got.grads) == 4 and all(
            close(g, want, 1e-4, 1e-5) for g, want in zip(got.grads, run.grads)):
        return  # your mlp agrees with the reference at every step, so it fits as the reference does
    params = [p.clone() for p in run.start]
    out = None
    for _ in range(XOR_STEPS):
        out = expect_tensor(student.mlp(run.X, params), "mlp on the XOR inputs", "a tensor of shape (4, 1)")
        if out.shape != run.y.shape:
            fail(f"mlp on the 4 XOR points with q = 1 returned shape {tuple(out.shape)}; expected (4, 1).",
                 "See the values check.")
        _, grads = _forward_backward(student, ctx.session, run.X, params, (out - run.y).detach(),
                                     "mlp on the XOR inputs")
        params = [p - XOR_LR * g for p, g in zip(params, grads)]
    right = int(((out.detach() > 0.5).float() == run.y).sum())
    if right < 4:
        fail(f"After {XOR_STEPS} steps of gradient descent (lr {XOR_LR}, {XOR_HIDDEN} hidden units) on XOR, "
             f"your mlp gives {fmt(out.detach().reshape(-1))} and classifies {right} of 4 points; the reference "
             f"classifies all 4 (a single linear layer gets {_linear_on_xor(ctx.device)}).",
             "XOR is not linearly separable: only the ReLU between the two layers lets the MLP bend the "
             "boundary; check that relu is applied to the hidden layer.")
