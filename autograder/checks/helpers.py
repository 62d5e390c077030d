"""Small tools checks share: describing tensors, and expecting shapes, devices, gradients."""
from __future__ import annotations

import contextlib
import random

import torch

from autograder.checks.api import fail
from autograder.checks.diagnose import fmt, reduction_hint, shape_of  # noqa: F401 - shared with the public checks


def kind_of(value) -> str:
    if isinstance(value, torch.Tensor):
        return "a single number (a 0-d tensor)" if value.dim() == 0 else f"a tensor of shape {tuple(value.shape)}"
    if value is None:
        return "None (is a return statement missing?)"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def expect_tensor(value, call: str, wanted: str) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        fail(f"{call} returned {kind_of(value)}; expected {wanted}.",
             "Return a torch tensor, built with torch operations on the inputs.")
    return value


def expect_shape(value: torch.Tensor, shape: tuple, call: str, hint: str | None = None) -> None:
    if tuple(value.shape) != tuple(shape):
        fail(f"{call} returned {shape_of(value)}; expected shape {tuple(shape)}.", hint)


def expect_varies(value: torch.Tensor, call: str, what: str) -> None:
    """A shape or a device counts only for computed values: a tensor of the right shape filled
    with one number (zeros, say) is not an answer, and must not pass a check vacuously."""
    flat = value.detach().reshape(-1)
    if flat.numel() > 1 and bool((flat == flat[0]).all()):
        fail(f"{call} returned {what} whose {flat.numel()} values are all {fmt(flat[0])}; expected computed values.",
             "Compute what the docstring asks for: a tensor of the right shape filled with one number only "
             "looks like an answer.")


def expect_device(value: torch.Tensor, device: torch.device, call: str, hint: str | None = None) -> None:
    if value.device.type != torch.device(device).type:
        fail(f"{call} returned a tensor on {value.device}; its inputs were on {device}.",
             hint or "Create new tensors on the inputs' device (device=X.device), or torch has to "
             "copy data between devices on every step.")


def close(a: torch.Tensor, b: torch.Tensor, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    if a.shape != b.shape:
        return False
    return bool(torch.allclose(a.detach().to(b.device, torch.float64), b.detach().to(torch.float64),
                               rtol=rtol, atol=atol, equal_nan=True))


@contextlib.contextmanager
def seeded(seed: int):
    """Run the trusted reference with its own random stream, leaving global state as it was."""
    state = random.getstate()
    devices = [torch.cuda.current_device()] if torch.cuda.is_initialized() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        random.seed(seed)
        try:
            yield
        finally:
            random.setstate(state)


def check_gradients(student_fn, ref_fn, inputs: dict, wrt: list[str], fn_name: str,
                    call: str, weight: torch.Tensor | None = None) -> None:
    """Autograd gradients of sum(weight * f(inputs)) agree with the reference's.

    ``weight`` makes every output entry count differently, so that a gradient that is
    right only up to a permutation or a constant still fails.
    """
    def grads(fn):
        leaves = {k: (v.detach().clone().requires_grad_(True) if k in wrt else v) for k, v in inputs.items()}
        out = fn(*leaves.values())
        if not isinstance(out, torch.Tensor):
            fail(f"{call} returned {kind_of(out)}; expected a tensor.")
        w = weight if weight is not None and weight.shape == out.shape else torch.ones_like(out)
        if out.requires_grad:
            (out * w.to(out.dtype)).sum().backward()
        return out, {k: leaves[k].grad for k in wrt}

    ref_out, ref_grads = grads(ref_fn)
    out, got = grads(student_fn)
    if out.shape != ref_out.shape:
        fail(f"{call} returned shape {tuple(out.shape)}; expected {tuple(ref_out.shape)}, so its "
             "gradients cannot be compared yet.", "Fix the output shape first (see the values check).")
    for name in wrt:
        if got[name] is None:
            fail(f"No gradient reached {name} through your {fn_name}: the output is cut off from "
                 "autograd's graph.",
                 "Compute the result with torch operations on the inputs themselves; .detach(), "
                 ".data, .item(), .numpy() or torch.tensor(...) on an input break the graph.")
        if not close(got[name], ref_grads[name], rtol=1e-4, atol=1e-5):
            fail(f"The gradient with respect to {name} is wrong for {call}. Expected "
                 f"{fmt(ref_grads[name])}, your {fn_name} gave {fmt(got[name])}.",
                 gradient_hint(fn_name, out, ref_out, got[name], ref_grads[name]))


def gradient_hint(fn_name: str, out, ref_out, grad, ref_grad) -> str:
    """Why a gradient differs: a constant factor, values that differ already, or a graph cut short."""
    factor = constant_factor(grad, ref_grad)
    if factor is not None:
        return (f"Your gradient is {factor:g} times the reference's everywhere: a constant factor is off in "
                f"{fn_name} (a missing or extra / 2, or a division by the batch size).")
    if not close(out.detach(), ref_out.detach(), rtol=1e-4, atol=1e-5):
        return (f"The values of {fn_name} already differ from the reference's (see its values check); the "
                "gradient follows from them, so fix the values first.")
    return ("The forward values match while the graph does not, for example when part of the computation "
            "goes through .detach() or .data.")


def constant_factor(got: torch.Tensor, want: torch.Tensor) -> float | None:
    """c where got = c * want everywhere (c not 1, want not all zero), to 3 significant digits."""
    if got is None or got.shape != want.shape:
        return None
    want64, got64 = want.detach().double(), got.detach().double()
    mask = want64.abs() > 1e-8
    if not bool(mask.any()) or bool((got64[~mask].abs() > 1e-8).any()):
        return None
    ratios = got64[mask] / want64[mask]
    c = float(ratios.mean())
    if abs(c - 1) < 1e-3 or not torch.allclose(ratios, torch.full_like(ratios, c), rtol=1e-4, atol=1e-6):
        return None
    return float(f"{c:.3g}")


def check_finite_differences(student_fn, inputs: dict, wrt: list[str], fn_name: str, call: str,
                             eps: float = 1e-6) -> None:
    """In float64, the student's autograd gradient matches central finite differences of
    the student's own function: its backward belongs to its forward."""
    inputs64 = {k: (v.to(torch.float64) if v.is_floating_point() else v) for k, v in inputs.items()}
    leaves = {k: (v.clone().requires_grad_(True) if k in wrt else v) for k, v in inputs64.items()}
    out = student_fn(*leaves.values())
    if not isinstance(out, torch.Tensor) or not out.is_floating_point():
        fail(f"{call} with float64 inputs returned {kind_of(out)}; expected a float64 tensor.")
    weight = torch.linspace(0.5, 1.5, out.numel(), dtype=torch.float64, device=out.device).reshape(out.shape)
    if not out.requires_grad:
        fail(f"With float64 inputs, your {fn_name}'s output does not depend on its inputs in autograd's graph.",
             "Compute the result with torch operations on the inputs; avoid .detach() and .data.")
    (out * weight).sum().backward()
    for name in wrt:
        analytic = leaves[name].grad
        base = inputs64[name]
        numeric = torch.zeros_like(base)
        flat = numeric.reshape(-1)
        for i in range(base.numel()):
            plus, minus = base.clone(), base.clone()
            plus.reshape(-1)[i] += eps
            minus.reshape(-1)[i] -= eps
            f_plus = student_fn(*{**inputs64, name: plus}.values())
            f_minus = student_fn(*{**inputs64, name: minus}.values())
            flat[i] = ((f_plus - f_minus) * weight).sum() / (2 * eps)
        if analytic is None or not close(analytic, numeric, rtol=1e-4, atol=1e-6):
            fail(f"For {call} in float64, autograd's gradient with respect to {name} is "
                 f"{fmt(analytic)} but finite differences of your function give {fmt(numeric)}.",
                 "Part of the computation is hidden from autograd (.data, .detach(), in-place "
                 "writes into a tensor autograd saved), so backward does not match forward.")
