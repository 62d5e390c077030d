"""Runs snippets of student code inside the from-scratch watch, in a fresh interpreter (the watch
patches torch), and says what the watch recorded for each: ``python tests/watch_probe.py`` reads a
JSON list of {"name", "source", "sets"} on stdin and prints {name: {"hits": [...], "tampering": [...],
"error": ...}}. Each source defines ``f(x, y, labels, params)``; it is called the way the student
process calls a graded function: in a window of its own, its result frozen inside the watch."""
from __future__ import annotations

import json
import sys
import traceback


def main() -> None:
    import torch

    from autograder.operators import allowlist
    from autograder.sandbox.student_side import child as child_module
    from autograder.sandbox.student_side.scratch_guard import ScratchGuard

    cases = json.loads(sys.stdin.read())
    guard = ScratchGuard(["d2l.linreg", "d2l.sgd", "torch.linalg.inv"],
                         operators={None: allowlist(["elementary"])})
    guard.remember()
    out = {}
    for case in cases:
        namespace: dict = {}
        exec(compile(case["source"], f"<{case['name']}>", "exec"), namespace)
        fn = namespace["f"]
        guard.operators = {None: allowlist(case.get("sets", ["elementary"]))}
        g = torch.Generator().manual_seed(0)
        x = torch.randn(4, 3, generator=g, requires_grad=True)
        y = torch.randn(4, 3, generator=g)
        labels = torch.tensor([0, 2, 1, 2])
        params = [torch.randn(3, 1, generator=g, requires_grad=True), torch.zeros(1, requires_grad=True)]
        for p in params:
            p.grad = torch.ones_like(p)
        window = guard.window("f")
        function_mode, dispatch_mode = guard.modes(window)
        error = None
        with function_mode, dispatch_mode:
            try:
                result = fn(x, y, labels, params)
                result = child_module._materialise(result, 1000)
                if isinstance(result, torch.Tensor) and result.requires_grad:
                    torch.autograd.grad(result.sum(), [x], allow_unused=True)
                child_module._freeze(result)
            except Exception as exc:  # noqa: BLE001 - reported
                error = f"{type(exc).__name__}: {exc}"[:300]
            guard.after_call(window, function_mode, dispatch_mode)
        guard.compromised = False
        guard.remember()
        out[case["name"]] = {"hits": list(window.hits or window.aten_hits), "tampering": list(window.tampering),
                             "error": error}
    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001 - the test shows it
        traceback.print_exc()
        sys.exit(1)
