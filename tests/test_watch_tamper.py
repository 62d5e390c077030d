"""The run-time watch notices being switched off, and blames nobody for torch's own use of the switches.

Runs in a fresh interpreter, since the watch patches torch. The probe calls a few functions the way
the student process does (in a window of their own, inside both modes, then ``after_call``) and
prints what the guard recorded for each.
"""
import json
import subprocess
import sys

import pytest

from corpus_support import KIT

_PROBE = r'''
import json, torch
from autograder.sandbox.student_side.scratch_guard import ScratchGuard
guard = ScratchGuard(["torch.nn.functional.mse_loss", "torch.nn.Linear", "torch.optim"])  # no allowlist
guard.remember()
C = getattr(torch, "_C")
dispatch = getattr(torch.utils, "_python_dispatch")

def honest(x):
    print(x)  # printing a tensor: torch itself pops the modes for a moment
    with torch.no_grad():
        y = x * 2
    return repr(y) and x.exp().sum()

def uses_an_optimizer(x):
    # torch wraps SGD.step (already the watch's wrapper) in its own hooks on the first instance
    p = torch.nn.Parameter(x.clone())
    p.grad = torch.ones_like(x)
    torch.optim.SGD([p], lr=0.1).step()
    return p

def pops_the_modes_for_a_moment(x):
    with dispatch._disable_current_modes():
        return x.sum()

def leaves_torch_function_off(x):
    C.DisableTorchFunction().__enter__()
    return x.sum()

def pops_the_dispatch_stack(x):
    C._pop_torch_dispatch_stack()
    return x.sum()

def unpatches_linear(x):
    torch.nn.Linear.forward = lambda self, inp: inp
    return x.sum()

seen = {}
# The ones that leave torch changed come last, so that each meets a clean watch.
for fn in (honest, uses_an_optimizer, pops_the_modes_for_a_moment, unpatches_linear, pops_the_dispatch_stack,
           leaves_torch_function_off):
    guard.compromised = False
    window = guard.window(fn.__name__)
    function_mode, dispatch_mode = guard.modes(window)
    try:
        with function_mode, dispatch_mode:
            fn(torch.ones(2, 2))
            guard.after_call(window, function_mode, dispatch_mode)
    except Exception as exc:  # leaving a mode that was taken away raises
        pass
    seen[fn.__name__] = {"hits": window.report(), "compromised": guard.compromised}
print(json.dumps(seen))
'''


@pytest.fixture(scope="module")
def seen():
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=KIT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_honest_function_that_prints_tensors_is_not_flagged(seen):
    assert seen["honest"] == {"hits": [], "compromised": False}


def test_torch_wrapping_a_watched_method_in_its_own_hooks_is_not_tampering(seen):
    assert seen["uses_an_optimizer"]["compromised"] is False
    assert seen["uses_an_optimizer"]["hits"] and not [h for h in seen["uses_an_optimizer"]["hits"] if "tampered" in h]


def test_a_switch_used_for_a_moment_is_caught_by_its_tripwire(seen):
    assert seen["pops_the_modes_for_a_moment"]["hits"] == [
        "tampered: torch.utils._python_dispatch._disable_current_modes, which switches off or reaches the grader's "
        "from-scratch watch"]


@pytest.mark.parametrize("fn, says", [("leaves_torch_function_off", "left switched off"),
                                      ("pops_the_dispatch_stack", "_pop_torch_dispatch_stack"),
                                      ("unpatches_linear", "Linear.forward was removed")])
def test_a_watch_left_switched_off_is_caught_after_the_call(seen, fn, says):
    hits = seen[fn]["hits"]
    assert any(h.startswith("tampered: ") and says in h for h in hits), hits


def test_a_process_whose_watch_was_left_off_serves_no_more_calls(seen):
    assert seen["leaves_torch_function_off"]["compromised"] and seen["unpatches_linear"]["compromised"]
