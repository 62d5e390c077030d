"""What went wrong, in words: the diagnoses that the students' public checks and the graded checks
share, so that the same mistake gets the same explanation in `pytest` on a student's machine and
in the grader's feedback.

Only torch and Python's own modules: `autograder release` copies this file into every assignment
folder as ``diagnose.py``, where the public checks import it.
"""
from __future__ import annotations

import torch


def fmt(value, digits: int = 4) -> str:
    """A short, readable rendering of a tensor or number: rounded, and cut short when long."""
    if isinstance(value, torch.Tensor):
        t = value.detach().cpu()
        if t.numel() > 12:
            head = ", ".join(_num(x, digits) for x in t.reshape(-1)[:8].tolist())
            return f"tensor of shape {tuple(t.shape)} starting [{head}, …]"
        if t.dtype.is_floating_point:
            t = t.to(torch.float64).round(decimals=digits)
        return f"{t.tolist()}"
    if isinstance(value, float):
        return _num(value, digits)
    return repr(value)


def _num(x, digits: int) -> str:
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def shape_of(value: torch.Tensor) -> str:
    """A tensor's shape in words: a 0-d tensor is one number, not shape (1,)."""
    return "a single number (a 0-d tensor, shape ())" if value.dim() == 0 else f"shape {tuple(value.shape)}"


def explain(what: str, hint: str | None) -> str:
    """A public check's message: what happened, then the likely cause."""
    return what if not hint else f"{what}\nLikely cause: {hint}"


def expect_close(got, want: torch.Tensor, call: str, hint: str | None = None, atol: float = 1e-6,
                 rtol: float = 1e-5) -> None:
    """A public check's comparison: AssertionError saying what ``call`` gave, rounded, what was
    expected, and the likely cause (a mean or a sum for a vector, a broadcast (n, n))."""
    if not isinstance(got, torch.Tensor):
        raise AssertionError(explain(f"{call} should return a tensor, got {type(got).__name__}",
                                     "Return a torch tensor, built with torch operations on the inputs."))
    if tuple(got.shape) != tuple(want.shape):
        n = want.shape[0] if want.dim() else 0
        guess = hint or reduction_hint(got, want) or (BROADCAST_HINT if want.dim() == 2 and tuple(got.shape) == (n, n)
                                                      and n > 1 else None)
        raise AssertionError(explain(f"{call} should have {shape_of(want)}, got {shape_of(got)}", guess))
    if not torch.allclose(got.detach().cpu().double(), want.double(), rtol=rtol, atol=atol):
        raise AssertionError(explain(f"{call} should be {fmt(want)}, got {fmt(got)}", hint))


# (fragment of the exception message, what it usually means), from learners' reports.
KNOWN_ERRORS = [
    ("a leaf Variable that requires grad is being used in an in-place operation",
     "The update ran while autograd was recording: put it inside `with torch.no_grad():`."),
    ("grad can be implicitly created only for scalar outputs",
     "backward() needs a scalar: sum the per-example losses first, l.sum().backward()."),
    ("element 0 of tensors does not require grad",
     "The result is cut off from the graph: avoid .detach(), .data, .item() and torch.tensor(...) on inputs."),
    ("unsupported operand type(s) for -=: 'Tensor' and 'NoneType'",
     "A gradient was None: the parameter was re-created or reshaped into a non-leaf tensor, "
     "or backward() never reached it."),
    ("'NoneType' object has no attribute 'zero_'",
     "The gradient is None here: it was never computed, or it was already set to None."),
    ("mat1 and mat2 shapes cannot be multiplied",
     "The matrix shapes do not line up: X is (n, d) and w is (d, 1), so X @ w is (n, 1)."),
    ("must match the size of tensor",
     "Two tensors of different shapes met in one operation; print their shapes to see which."),
    ("Expected all tensors to be on the same device",
     "Create new tensors on the inputs' device (device=X.device)."),
    ("expected scalar type",
     "Two tensors of different dtypes met; create new tensors with dtype=w.dtype."),
    ("tensors used as indices must be long",
     "Index with integer (int64) tensors, such as torch.tensor(indices) or the labels y."),
    ("not implemented yet",
     "This function is still the stub: replace `raise NotImplementedError` with your code."),
    ("File too large",
     "Your code printed more than the grader keeps; remove the prints inside loops."),
]


# The same message means something else in one function: in an update such as sgd, a gradient that
# is None after `param = param - ...` comes from the rebinding, not from a missing backward.
KNOWN_ERRORS_IN = {
    ("sgd", "'NoneType' object has no attribute"):
        "`param = param - lr * param.grad / batch_size` makes a new tensor and only rebinds the loop's name: "
        "the parameter itself is unchanged, and the new tensor has no .grad. Update the parameter in place "
        "(param -= ..., inside `with torch.no_grad():`).",
    ("sgd", "unsupported operand type(s) for -=: 'Tensor' and 'NoneType'"):
        "A gradient was None: was backward() called on the loss before sgd, and is each parameter the leaf "
        "tensor itself (not a copy or a reshaped view)?",
}


def syntax_hint(filename: str) -> str:
    """A function that a syntax error kept from being defined."""
    if filename.endswith(".ipynb"):
        return "Fix that syntax error first: run the cell to see it."
    return f"Fix that syntax error first: `python {filename}` shows it."


def known_hint(message: str, function: str | None = None) -> str | None:
    """The usual meaning of an error message that learners meet in ``function``, or None."""
    lowered = message.lower()
    for (where, fragment), hint in KNOWN_ERRORS_IN.items():
        if where == function and fragment.lower() in lowered:
            return hint
    for fragment, hint in KNOWN_ERRORS:
        if fragment.lower() in lowered:
            return hint
    return None


# ------------------------------------------------------------------ losses
def reduction_hint(got: torch.Tensor, per_example: torch.Tensor) -> str | None:
    """For one number where the contract wants one loss per example: whether it is their mean
    or their sum, and what to leave out."""
    if got.numel() != 1 or per_example.numel() < 2:
        return None
    value = got.detach().to("cpu", torch.float64).reshape(())
    losses = per_example.detach().to("cpu", torch.float64)
    for name, total in (("mean", losses.mean()), ("sum", losses.sum())):
        if torch.allclose(value, total, rtol=1e-4, atol=1e-5):
            return (f"That number is the {name} of the per-example losses: the contract returns the vector "
                    f"itself, so leave out .{name}()" + (" (d2l 1.0's version returns the mean)." if name == "mean"
                                                         else "."))
    return None


BROADCAST_HINT = ("y of shape (n,) minus y_hat of shape (n, 1) broadcasts to an (n, n) matrix: "
                  "reshape y first, y.reshape(y_hat.shape).")


def squared_loss_hint(got: torch.Tensor, want: torch.Tensor) -> str | None:
    """The usual slips in (ŷ − y)²/2, told apart by what the student's numbers are."""
    n = want.shape[0]
    if got.numel() == 1 and n > 1:
        return ((reduction_hint(got, want) or "") + " The d2l 0.17 squared_loss is not averaged: the "
                "training loop sums the losses and sgd divides by batch_size.").strip()
    if tuple(got.shape) == (n, n) and n > 1:
        return BROADCAST_HINT
    if tuple(got.shape) != tuple(want.shape):
        return "Return the loss in y_hat's shape: reshape y to y_hat.shape."
    g, w = got.detach().double(), want.detach().double()
    if torch.allclose(g, w * 2, rtol=1e-5, atol=1e-6):
        return "Divide by 2: the ½ makes the gradient simply ŷ − y."
    if torch.allclose(g, (w * 2).sqrt() / 2, rtol=1e-5, atol=1e-6) or torch.allclose(g, (w * 2).sqrt(),
                                                                                       rtol=1e-5, atol=1e-6):
        return "Square the difference; abs() gives the L1 loss."
    return None


# ------------------------------------------------------------------ data
def noise_hint(std: float) -> str:
    """For noise whose standard deviation is not 0.01. Passing the variance 0.01² = 1e-4 as
    torch.normal's scale gives a standard deviation near 1e-4; other values (0.1, 0.001) are other
    slips, and get no story about variances."""
    if 5e-5 <= std <= 2e-4:
        return ("The noise is N(0, 0.01²): torch.normal(0, 0.01, y.shape), where 0.01 is the "
                "standard deviation, not the variance (you passed 0.01² = 1e-4).")
    return (f"The noise is N(0, 0.01²), standard deviation 0.01; yours has {std:.3g}: check the scale "
            "you pass to torch.normal(0, 0.01, y.shape).")


def batch_sizes_hint(sizes: list[int], n: int) -> str:
    """For data_iter batches whose sizes are not batch_size, …, batch_size, the rest."""
    if sum(sizes) < n:
        return "The last, shorter batch must be kept: slice up to min(i + batch_size, num_examples)."
    return "Step through the indices by batch_size."


# ------------------------------------------------------------------ sgd
def sgd_update(before: torch.Tensor, after: torch.Tensor, grad: torch.Tensor, lr: float,
               batch_size: int) -> tuple[str, str | None] | None:
    """What update sgd made, when it is not param − lr·grad/batch_size: (what happened, likely
    cause), or None when the update is right. All parameters flattened into one tensor each."""
    delta = (before - after.detach()).double().reshape(-1)
    g = grad.double().reshape(-1)
    expected = lr * g / batch_size
    if torch.allclose(delta, expected, rtol=1e-4, atol=1e-7):
        return None
    if torch.allclose(delta, torch.zeros_like(delta)):
        return (f"the parameters were unchanged; expected param − lr·grad/batch_size, a change of {fmt(-expected)}",
                "Update the tensors in place (param -= ... or param.sub_(...)) inside torch.no_grad(); "
                "`param = param - ...` only rebinds a local name.")
    if torch.allclose(delta, -expected, rtol=1e-4, atol=1e-7):
        return (f"the parameters moved by {fmt(-delta)}, up the gradient; expected {fmt(-expected)}",
                "Gradient descent subtracts: param -= lr * param.grad / batch_size.")
    mask = g.abs() > 1e-6
    ratio = (lr * g[mask] / delta[mask]).median().item() if mask.any() and bool((delta[mask] != 0).all()) else None
    if ratio is not None and abs(ratio - 1) < 1e-3:
        return (f"the parameters changed by lr·grad = {fmt(-delta)}; expected lr·grad/batch_size = {fmt(-expected)}",
                "Divide by batch_size: the loss was summed over the batch, so the gradient is a sum too. "
                "(d2l 1.0's sgd does not divide, because its loss is already a mean.)")
    if ratio is not None and abs(ratio - batch_size ** 2) < 1e-2 * batch_size ** 2:
        return "the gradient was divided by batch_size twice", "Divide by batch_size once."
    if ratio is not None and ratio > 0:
        return (f"the parameters changed by {fmt(-delta)}: that is lr·grad divided by {ratio:.4g}, but "
                f"batch_size was {batch_size}; expected {fmt(-expected)}",
                "Use the lr and batch_size arguments as given, not fixed numbers such as 0.03 or 10.")
    return (f"the parameters changed by {fmt(-delta)}; expected param − lr·grad/batch_size, a change of "
            f"{fmt(-expected)}", None)


# ------------------------------------------------------------------ softmax
def softmax_hint(got: torch.Tensor, X: torch.Tensor) -> str | None:
    """Softmax over the wrong dimension, or without the exponential."""
    if got.shape != X.shape or X.dim() != 2:
        return None
    g = got.detach().double()
    rows, cols = g.sum(1), g.sum(0)
    if not torch.allclose(rows, torch.ones_like(rows), atol=1e-4) and torch.allclose(cols, torch.ones_like(cols),
                                                                                     atol=1e-4):
        return "Each row should sum to 1: sum over dim=1 with keepdim=True (yours normalised the columns)."
    x = X.detach().double()
    if torch.allclose(g, x / x.sum(1, keepdim=True), atol=1e-5):
        return "Exponentiate first: softmax is exp(X) / exp(X).sum(1, keepdim=True)."
    return None
