"""The student process: imports one submission and answers calls in plain data.

Forked from the warm template (template.py) and confined before it imports the file.
It never judges anything; it only runs the student's functions and reports what
they returned, what they raised, and which ready-made torch functions they used.
"""
from __future__ import annotations

import builtins
import contextlib
import importlib.util
import os
import random
import sys
import traceback
import types

import torch

from autograder.sandbox import protocol
from autograder.sandbox.student_side.scratch_guard import ScratchGuard

# Bound before the student's code runs, so that patching torch.equal cannot blind us.
_torch_equal = torch.equal

# Bound here too, so that seeding needs no import in every call (torch imports numpy today;
# this seeds it even under a build that does not).
try:
    import numpy as _numpy
except ImportError:
    _numpy = None


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    # torch.manual_seed would also queue lazy CUDA/XPU seeding with a formatted stack trace
    # on every call; CUDA is initialised before any call that uses it (its tensors arrive there).
    torch.default_generator.manual_seed(seed)
    if torch.cuda.is_initialized():
        torch.cuda.manual_seed_all(seed)
    if _numpy is not None:
        _numpy.random.seed(seed % (2**32))


def _place(t: torch.Tensor, device: str) -> torch.Tensor:
    return t.to(device)


class _CappedOutput:
    """sys.stdout and sys.stderr of the student process: unbuffered (nothing is lost when the
    process is killed), and past the output limit, writes are dropped instead of failing (a
    correct submission that prints a lot still loads)."""

    def __init__(self, fd: int, budget: list[int]):
        self._fd, self._budget = fd, budget
        self.encoding, self.errors = "utf-8", "replace"

    def write(self, text) -> int:
        left = self._budget[0]
        if left > 0:
            data = str(text).encode("utf-8", "replace")[:left]
            self._budget[0] -= len(data)
            if self._budget[0] <= 0:
                data += ("\n" + protocol.TRUNCATED + "\n").encode()
            try:
                while data:
                    data = data[os.write(self._fd, data):]
            except OSError:
                self._budget[0] = 0
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


def start_devices(policy, protections) -> None:
    """Start CUDA in a process that computes on it, before the submission is imported, and cap
    the memory torch's allocator may hold there, so that workers sharing a GPU cannot starve
    each other. Raises when CUDA cannot start: that is the machine's fault, not the student's."""
    if "cuda" not in policy.devices:
        return
    if not torch.cuda.is_available():
        raise RuntimeError("CUDA is not available inside the student process "
                           f"(torch {torch.__version__}, built for CUDA {torch.version.cuda})")
    torch.cuda.init()
    if policy.gpu_memory_bytes:
        total = torch.cuda.get_device_properties(0).total_memory
        torch.cuda.set_per_process_memory_fraction(min(1.0, policy.gpu_memory_bytes / total), 0)
        protections.in_force.append(f"GPU memory ≤ {policy.gpu_memory_bytes // 2**20} MiB "
                                    "(torch's allocator, per student process)")


def describe_exception(exc: BaseException, submission_path: str) -> dict:
    """Type, message, and the frames that lie in the student's own file."""
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        # The notebook runner (notebook.py) shares the file; its frames are the kit's, not the student's.
        if os.path.abspath(frame.filename) == submission_path and not frame.name.startswith("_autograder"):
            frames.append([frame.lineno, frame.name, (frame.line or "").strip()])
    message = str(exc) if not isinstance(exc, SystemExit) else f"exit code {exc.code!r}"
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == submission_path:
        frames.append([exc.lineno, "<module>", (exc.text or "").strip()])
    whole = "".join(traceback.format_exception(exc))[-4000:]
    return {"type": type(exc).__name__, "message": message[:2000], "frames": frames[-5:], "traceback": whole}


def _signature(t: torch.Tensor) -> tuple:
    # Contents, not version counters: `param.data.sub_()` (d2l 0.14) bumps no counter.
    grad = t.grad if t.is_leaf else None
    return (t.detach().clone(), t.requires_grad, id(grad), None if grad is None else grad.detach().clone())


def _unchanged(before: tuple, t: torch.Tensor) -> bool:
    data, requires_grad, grad_id, grad = before
    now = t.grad if t.is_leaf else None
    return (requires_grad == t.requires_grad and grad_id == id(now) and _same(data, t.detach())
            and (grad is None) == (now is None) and (grad is None or _same(grad, now.detach())))


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and bool(_torch_equal(a, b))


def _signatures(value) -> list:
    if isinstance(value, torch.Tensor):
        return [_signature(value)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _signatures(v)]
    return []


def _one_pass(arg):
    """{"__one_pass__": items} from the grader (proxy.OnePass) as an iterator, which one pass uses up."""
    if isinstance(arg, dict) and set(arg) == {"__one_pass__"} and isinstance(arg["__one_pass__"], list):
        return iter(arg["__one_pass__"])
    return arg


def _skeleton(value):
    """The arguments' nesting with the same tensor objects in new lists, so that the state sent back
    is of the tensors the caller passed, even where the student's code put others in their place
    (``params[i] = new_tensor`` changes nothing for the caller)."""
    if isinstance(value, (list, tuple)):
        return type(value)(_skeleton(v) for v in value)
    return value


def _state(value, before: list):
    """What became of each tensor argument the call changed (for in-place updates);
    None for the rest, so that ordinary calls send nothing back."""
    if isinstance(value, torch.Tensor):
        if _unchanged(before.pop(0), value):
            return None
        grad = value.grad if value.is_leaf else None
        return ("tensor_state", value.detach(), grad, bool(value.requires_grad), bool(value.is_leaf))
    if isinstance(value, (list, tuple)):
        return [_state(v, before) for v in value]
    return None


def _materialise(result, max_items: int):
    """Turn a generator or other iterable into a list, so that it can cross."""
    if isinstance(result, (torch.Tensor, list, tuple, dict, int, float, bool, str)) or result is None:
        return result
    if hasattr(result, "__iter__"):
        items = []
        for item in result:
            items.append(item)
            if len(items) > max_items:
                raise OverflowError(f"it produced more than {max_items} items and did not stop")
        return items
    return result


def _slice(spec, i: int, leaves: list):
    """Call i's value of a stacked argument (see Child.call_stacked)."""
    if isinstance(spec, dict) and "__each__" in spec:
        t = spec["__each__"][i].detach().clone()
        if spec.get("leaf"):
            t.requires_grad_(True)
            if isinstance(spec.get("grad"), torch.Tensor):
                t.grad = spec["grad"][i].clone()
            leaves.append(t)
        return t
    if isinstance(spec, list):
        return [_slice(s, i, leaves) for s in spec]
    if isinstance(spec, tuple):
        return tuple(_slice(s, i, leaves) for s in spec)
    return spec.clone() if isinstance(spec, torch.Tensor) else spec


def _plain(value, depth: int = 0):
    """A torch module as plain data, {"__nn_module__": repr, "state": state_dict}, wherever it
    sits in the result (the concise assignments return networks); everything else as it is."""
    if depth > 8:
        return value
    if isinstance(value, torch.nn.Module):
        state = {k: v.detach().clone() for k, v in value.state_dict().items()}
        if isinstance(value, torch.nn.Sequential):
            state = _positional(state, value)
        return {"__nn_module__": repr(value)[:2000], "state": state}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v, depth + 1) for v in value)
    return value


def _positional(state: dict, sequential: torch.nn.Sequential) -> dict:
    """A Sequential's state keyed as net[i] reaches its layers ("0.weight"), whether they were added
    by position or by name (an OrderedDict)."""
    position = {name: str(i) for i, (name, _) in enumerate(sequential.named_children())}

    def key(name: str) -> str:
        head, dot, rest = name.partition(".")
        return position.get(head, head) + dot + rest

    return {key(k): v for k, v in state.items()}


class _NoIPython:
    """What get_ipython() returns outside Jupyter, for a notebook exported as .py: every method
    (run_line_magic, run_cell_magic, system, ...) does nothing."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None


class Child:
    def __init__(self, spec: dict):
        self.path = os.path.abspath(spec["submission"])
        self.guard = ScratchGuard(spec.get("forbidden", []), spec.get("harmless", []))
        self.module: types.ModuleType | None = None
        self.import_seed = int(spec.get("import_seed", 0))

    def load(self) -> dict:
        # Jupyter's "Download as .py" writes get_ipython().run_line_magic(...): as in a notebook,
        # magics and shell escapes do nothing here.
        if not hasattr(builtins, "get_ipython"):
            builtins.get_ipython = _NoIPython
        _seed_everything(self.import_seed)
        self.guard.active = True
        try:
            spec = importlib.util.spec_from_file_location("submission", self.path)
            module = importlib.util.module_from_spec(spec)
            sys.modules["submission"] = module
            function_mode, dispatch_mode = self.guard.modes()
            with function_mode, dispatch_mode:
                spec.loader.exec_module(module)
                self.guard.check_intact(function_mode, dispatch_mode)
        except BaseException as exc:  # noqa: BLE001 - the student's import may raise anything
            return {"status": "import_error", "error": describe_exception(exc, self.path)}
        finally:
            self.guard.active = False
        self.module = module
        functions = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        return {"status": "ready", "functions": functions, "import_hits": list(self.guard.hits)}

    def call(self, request: dict) -> dict:
        fn = getattr(self.module, request["fn"], None)
        if not callable(fn):
            return {"status": "missing"}
        args = [_one_pass(a) for a in request["args"]]
        _seed_everything(int(request["seed"]))
        before, passed = _signatures(args), _skeleton(args)
        self.guard.hits = []
        self.guard.active = self.guard.in_call = True
        try:
            function_mode, dispatch_mode = self.guard.modes()
            with function_mode, dispatch_mode:
                result = _plain(fn(*args))
                max_items, passes = int(request.get("max_items", 100_000)), int(request.get("passes", 1))
                if passes == 1:
                    result = _materialise(result, max_items)
                else:  # each pass a fresh iteration: a DataLoader reshuffles, a generator is used up
                    result = [_materialise(result, max_items) for _ in range(max(2, min(passes, 4)))]
                self.guard.check_intact(function_mode, dispatch_mode)
            self.guard.active = self.guard.in_call = False
            reply = {"status": "ok", "hits": list(self.guard.hits)}
            vjp = request.get("vjp")
            if vjp is not None:
                reply["grads"] = self._vjp(result, args, vjp)
                result = result.detach() if isinstance(result, torch.Tensor) else result
            reply["result"] = result
            if request.get("return_args"):
                reply["args_after"] = _state(list(passed), before)
            return reply
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            self.guard.active = self.guard.in_call = False
            return {"status": "raised", "error": describe_exception(exc, self.path),
                    "hits": list(self.guard.hits)}

    def call_stacked(self, request: dict) -> dict:
        """One function on ``n`` argument lists sliced from stacked tensors, with stacked replies.

        Made for verifying a function along a known trajectory: a few large tensors cross
        instead of thousands of small ones. An argument {"__each__": T, "leaf": bool, "grad": G}
        is T[i] in call i (a fresh leaf that requires grad, with .grad = G[i], when "leaf").
        Any irregular call (an error, a result that is not a tensor of the same shape as the
        others, a missing gradient) ends the batch with status "uneven": the grader then makes
        the calls one by one, which report exactly what happened.

        From-scratch detection: the first call of the batch runs under both watches (torch
        functions and aten ops); the rest run bare, as the watches would triple the batch's cost.
        A ready-made API used on every call is seen on the first; and every function meets both
        watches on every call of its own checks.
        """
        fn = getattr(self.module, request["fn"], None)
        if not callable(fn):
            return {"status": "missing"}
        _seed_everything(int(request["seed"]))
        grad_output, want_after = request.get("grad_output"), bool(request.get("after"))
        results, grads, after, hits = [], [], [], []
        for i in range(int(request["n"])):
            leaves: list[torch.Tensor] = []
            args = [_slice(a, i, leaves) for a in request["args"]]
            self.guard.hits = []
            self.guard.active = self.guard.in_call = True
            try:
                # The watches cost more than the call itself: they watch the first call.
                watches = self.guard.modes() if i == 0 else (contextlib.nullcontext(), contextlib.nullcontext())
                with watches[0], watches[1]:
                    result = fn(*args)
                    if i == 0:
                        self.guard.check_intact(*watches)
                self.guard.active = self.guard.in_call = False
                hits += [h for h in self.guard.hits if h not in hits]
                if not isinstance(result, torch.Tensor) or (results and (
                        result.shape != results[0].shape or result.dtype != results[0].dtype)):
                    if request.get("result", True):
                        return {"status": "uneven", "hits": hits}
                if grad_output is not None:
                    got = torch.autograd.grad(result, leaves, grad_outputs=grad_output[i], allow_unused=True)
                    if any(g is None or g.shape != leaf.shape for g, leaf in zip(got, leaves)):
                        return {"status": "uneven", "hits": hits}
                    grads.append(got)
            except BaseException:  # noqa: BLE001 - the call-by-call path reports it
                self.guard.active = self.guard.in_call = False
                return {"status": "uneven", "hits": hits + [h for h in self.guard.hits if h not in hits]}
            if request.get("result", True):
                results.append(result.detach())
            if want_after:
                after.append([(leaf.detach(), leaf.grad is None or not bool(leaf.grad.abs().sum() > 0),
                               leaf.requires_grad, leaf.is_leaf) for leaf in leaves])
        reply = {"status": "ok", "hits": hits}
        if results:
            reply["result"] = torch.stack(results)
        if grads:
            reply["grads"] = [torch.stack(column) for column in zip(*grads)]
        if after:
            reply["after"] = [{"data": torch.stack([a[k][0] for a in after]),
                               "cleared": all(a[k][1] for a in after),
                               "requires_grad": all(a[k][2] for a in after),
                               "is_leaf": all(a[k][3] for a in after)} for k in range(len(after[0]))]
        return reply

    @staticmethod
    def _vjp(result, args, vjp: dict):
        if not isinstance(result, torch.Tensor) or not result.requires_grad:
            return None
        wrt = [args[i] for i in vjp["wrt"]]
        grads = torch.autograd.grad(result, wrt, grad_outputs=vjp["grad_output"], allow_unused=True)
        return list(grads)


def _send(fd: int, reply: dict) -> None:
    try:
        frame = protocol.encode(reply)
    except Exception as exc:  # noqa: BLE001 - a student value that cannot be turned into bytes
        what = str(exc) if isinstance(exc, protocol.UnsupportedValue) else f"a value that cannot be sent ({exc})"
        frame = protocol.encode({"status": "unsupported", "what": what[:500], "hits": reply.get("hits", [])})
    protocol.write_frame(fd, frame)


def serve(read_fd: int, write_fd: int, spec: dict, protections: dict) -> None:
    """Report the protections, import the submission, report readiness, then answer calls until EOF."""
    torch.set_num_threads(int(spec.get("threads", 1)))
    budget = [max(int(spec.get("policy", {}).get("output_bytes", 1_000_000)) - 4096, 1024)]
    sys.stdout, sys.stderr = _CappedOutput(1, budget), _CappedOutput(2, budget)
    # Sent before the submission's code runs, so that it cannot touch the report.
    _send(write_fd, {"status": "confined", "protections": protections})
    child = Child(spec)
    _send(write_fd, child.load())
    if child.module is None:
        return
    while True:
        try:
            request = protocol.decode(protocol.read_frame(read_fd), _place, with_grad=True)
        except EOFError:
            return
        if "n" in request:
            reply = child.call_stacked(request)
        else:
            reply = child.call(request)
        if child.guard.compromised:  # the watch may still be off: the next call gets a fresh process
            reply["ended"] = True
        _send(write_fd, reply)
        if child.guard.compromised:
            return
