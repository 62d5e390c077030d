"""The student process: imports one submission and answers calls in plain data.

Forked from the warm template (template.py) and confined before it imports the file.
It never judges anything; it only runs the student's functions and reports what
they returned, what they raised, and which ready-made torch functions they used.
"""
from __future__ import annotations

import builtins
import importlib.util
import os
import random
import sys
import traceback
import types

import torch

from autograder.operators import allowlist
from autograder.sandbox import protocol
from autograder.sandbox.student_side import top_level
from autograder.sandbox.student_side.scratch_guard import ScratchGuard

# Bound before the student's code runs, so that patching torch, numpy or random later changes
# nothing the call server does with the student's values. TensorBase is a C type: its methods
# cannot be replaced, whatever happens to torch.Tensor's.
_TB = torch._C.TensorBase
_TENSOR, _PARAMETER = torch.Tensor, torch.nn.Parameter
_torch_equal, _stack, _autograd_grad = torch.equal, torch.stack, torch.autograd.grad
_detach, _clone, _size, _abs, _sum = _TB.detach, _TB.clone, _TB.size, _TB.abs, _TB.sum
_is_floating_point, _requires_grad_, _item = _TB.is_floating_point, _TB.requires_grad_, _TB.item
_getset = {name: vars(_TB)[name] for name in ("grad", "requires_grad", "is_leaf", "dtype", "device")}


def _attr(t, name):
    return _getset[name].__get__(t, _TB)


def _set_grad(t, value) -> None:
    _getset["grad"].__set__(t, value)


_random_seed = random.seed
_manual_seed = torch.default_generator.manual_seed
_cuda_initialized, _cuda_seed_all = torch.cuda.is_initialized, torch.cuda.manual_seed_all

# Bound here too, so that seeding needs no import in every call (torch imports numpy today;
# this seeds it even under a build that does not).
try:
    import numpy as _numpy
    _numpy_seed, _NUMPY_SCALAR = _numpy.random.seed, _numpy.generic
except ImportError:
    _numpy = _numpy_seed = None
    _NUMPY_SCALAR = ()


def _seed_everything(seed: int) -> None:
    _random_seed(seed)
    # torch.manual_seed would also queue lazy CUDA/XPU seeding with a formatted stack trace
    # on every call; CUDA is initialised before any call that uses it (its tensors arrive there).
    _manual_seed(seed)
    if _cuda_initialized():
        _cuda_seed_all(seed)
    if _numpy_seed is not None:
        _numpy_seed(seed % (2**32))


def _place(t: torch.Tensor, device: str) -> torch.Tensor:
    return _TB.to(t, device)


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
        if os.path.abspath(frame.filename) == submission_path:
            frames.append([frame.lineno, frame.name, (frame.line or "").strip()])
    message = str(exc) if not isinstance(exc, SystemExit) else f"exit code {exc.code!r}"
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == submission_path:
        frames.append([exc.lineno, "<module>", (exc.text or "").strip()])
    whole = "".join(traceback.format_exception(exc))[-4000:]
    return {"type": type(exc).__name__, "message": message[:2000], "frames": frames[-5:], "traceback": whole}


def _signature(t: torch.Tensor) -> tuple:
    # Contents, not version counters: `param.data.sub_()` (d2l 0.14) bumps no counter.
    grad = _attr(t, "grad") if _attr(t, "is_leaf") else None
    return (_clone(_detach(t)), _attr(t, "requires_grad"), id(grad), None if grad is None else _clone(_detach(grad)))


def _unchanged(before: tuple, t: torch.Tensor) -> bool:
    data, requires_grad, grad_id, grad = before
    now = _attr(t, "grad") if _attr(t, "is_leaf") else None
    return (requires_grad == _attr(t, "requires_grad") and grad_id == id(now) and _same(data, _detach(t))
            and (grad is None) == (now is None) and (grad is None or _same(grad, _detach(now))))


def _same(a: torch.Tensor, b: torch.Tensor) -> bool:
    return _size(a) == _size(b) and _attr(a, "dtype") == _attr(b, "dtype") and bool(_torch_equal(a, b))


def _signatures(value) -> list:
    """The state of each tensor the grader passed (plain tensors the grader made, nested in lists)."""
    if type(value) is _TENSOR:
        return [_signature(value)]
    if type(value) in (list, tuple):
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
    if type(value) in (list, tuple):
        return type(value)(_skeleton(v) for v in value)
    return value


def _state(value, before: list, window):
    """What became of each tensor argument the call changed (for in-place updates); None for the
    rest, so that ordinary calls send nothing back. A tensor whose class the call changed is not read
    (its methods would be the student's): that is tampering."""
    if type(value) in (list, tuple):
        return [_state(v, before, window) for v in value]
    if not isinstance(value, _TB) or not before:  # isinstance sees through a swapped __class__
        return None
    signature = before.pop(0)
    if type(value) is not _TENSOR:
        window.tamper("a new class for a tensor the grader passed (__class__), which changes what the grader "
                      "reads back")
        return None
    if _unchanged(signature, value):
        return None
    grad = _attr(value, "grad") if _attr(value, "is_leaf") else None
    return ("tensor_state", _freeze(value), None if grad is None else _freeze(grad),
            bool(_attr(value, "requires_grad")), bool(_attr(value, "is_leaf")))


def _materialise(result, max_items: int):
    """Turn a generator or other iterable into a list, so that it can cross."""
    if type(result) in (list, tuple, dict, int, float, bool, str) or result is None or isinstance(result, _TB):
        return result
    if hasattr(result, "__iter__"):
        items = []
        for item in result:
            items.append(item)
            if len(items) > max_items:
                raise OverflowError(f"it produced more than {max_items} items and did not stop")
        return items
    return result


def _freeze(value, depth: int = 0, count: list | None = None):
    """``value`` as plain data that runs no code of the student's when it is read or sent: exact
    lists, tuples, dicts, numbers and strings, and fresh tensors of torch's own class. Done while the
    watch is on; anything else (a tensor subclass, an object) cannot cross."""
    count = count if count is not None else [0]
    count[0] += 1
    if depth > protocol.MAX_NESTING or count[0] > protocol.MAX_NODES:
        raise protocol.UnsupportedValue("a value nested too deeply, or with too many parts")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is _TENSOR or kind is _PARAMETER:
        return _clone(_detach(value))
    if kind in (list, tuple):
        frozen = [_freeze(v, depth + 1, count) for v in value]
        return frozen if kind is list else tuple(frozen)
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise protocol.UnsupportedValue("a dict whose keys are not all strings")
        return {k: _freeze(v, depth + 1, count) for k, v in value.items()}
    if _NUMPY_SCALAR and isinstance(value, _NUMPY_SCALAR):
        return _freeze(value.item(), depth + 1, count)
    if isinstance(value, _TB):
        raise protocol.UnsupportedValue(f"a tensor of its own class ({kind.__name__}) instead of a torch.Tensor")
    for plain, convert in ((int, int.__int__), (float, float.__float__), (str, str.__str__)):
        if isinstance(value, plain):  # a subclass (an IntEnum, numpy's float64): its plain value, by the
            return convert(value)     # base type's own method, never the subclass's
    raise protocol.UnsupportedValue(f"an object of type {kind.__name__}")


def _slice(spec, i: int, leaves: list):
    """Call i's value of a stacked argument (see Child.call_stacked)."""
    if isinstance(spec, dict) and "__each__" in spec:
        t = _clone(_detach(spec["__each__"][i]))
        if spec.get("leaf"):
            _requires_grad_(t, True)
            if type(spec.get("grad")) is _TENSOR:
                _set_grad(t, _clone(spec["grad"][i]))
            leaves.append(t)
        return t
    if type(spec) is list:
        return [_slice(s, i, leaves) for s in spec]
    if type(spec) is tuple:
        return tuple(_slice(s, i, leaves) for s in spec)
    return _clone(spec) if type(spec) is _TENSOR else spec


def _plain(value, depth: int = 0):
    """A torch module as plain data, {"__nn_module__": repr, "state": state_dict}, wherever it
    sits in the result (the concise assignments return networks); everything else as it is."""
    if depth > 8:
        return value
    if isinstance(value, torch.nn.Module):
        state = {k: _freeze(v) for k, v in value.state_dict().items()}
        if isinstance(value, torch.nn.Sequential):
            state = _positional(state, value)
        return {"__nn_module__": repr(value)[:2000], "state": state}
    if type(value) in (list, tuple):
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


def _display_nothing(*objects, **options):
    """Jupyter's display(): nothing to show where grading runs."""


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
        self.guard = ScratchGuard(spec.get("forbidden", []), spec.get("harmless", []),
                                  _allowlists(spec.get("operators") or {}))
        self.module: types.ModuleType | None = None
        self.import_seed = int(spec.get("import_seed", 0))
        self.cells = [tuple(c) for c in spec["cells"]] if spec.get("cells") else None
        """A notebook's cells as (first line, last line, number); None for a .py."""
        self.import_budget_s = float(spec.get("startup_timeout_s", 60.0))
        # A statement stopped by its own budget must leave time for the rest of the import: at most a
        # quarter of the import's limit in processor time (and three times that in wall time).
        self.statement_budget_s = min(float(spec.get("statement_timeout_s", 10.0)), self.import_budget_s / 4)

    def load(self) -> dict:
        # Jupyter's "Download as .py" writes get_ipython().run_line_magic(...): as in a notebook,
        # magics and shell escapes do nothing here.
        if not hasattr(builtins, "get_ipython"):
            builtins.get_ipython = _NoIPython
        try:
            with open(self.path, "rb") as f:
                text = importlib.util.decode_source(f.read())
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
            return {"status": "import_error", "error": describe_exception(exc, self.path)}
        module = types.ModuleType("submission")
        module.__file__ = self.path
        if self.cells:
            module.display = _display_nothing  # Jupyter's display(), harmless outside it
        self.guard.remember()
        _hide_the_kit()
        sys.modules["submission"] = module
        _seed_everything(self.import_seed)
        ran = top_level.run(text, self.path, module.__dict__, self.cells, self.statement_budget_s,
                            self.import_budget_s, lambda exc: describe_exception(exc, self.path))
        # What the top level left behind (a patch, a thread, a process) counts against every function.
        window = self.guard.window(None)
        self.guard.after_call(window)
        self.guard.compromised = False
        self.guard.remember()
        self.module = module
        functions = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_"))
        return {"status": "ready", "functions": functions, "import_hits": window.report(),
                "top_level": ran.failures}

    def _function(self, name):
        """The student's function, read from the module's namespace (a module __getattr__ never runs)."""
        fn = vars(self.module).get(name) if self.module is not None else None
        return fn if callable(fn) else None

    def call(self, request: dict) -> dict:
        name = request["fn"]
        fn = self._function(name)
        if fn is None:
            return {"status": "missing"}
        args = [_one_pass(a) for a in request["args"]]
        before, passed = _signatures(args), _skeleton(args)
        window = self.guard.window(name)
        _seed_everything(int(request["seed"]))
        reply = self._watched(window, lambda: self._run(fn, args, request, window, before, passed))
        reply["hits"] = window.report()
        return reply

    def _watched(self, window, run) -> dict:
        """``run()`` inside both modes, until the reply is built; then what the call left behind."""
        function_mode, dispatch_mode = self.guard.modes(window)
        reply = {"status": "raised", "error": {"type": "RuntimeError", "message": "the grader's watch was taken away",
                                               "frames": [], "traceback": ""}}
        try:
            with function_mode, dispatch_mode:
                try:
                    reply = run()
                except protocol.UnsupportedValue as exc:
                    reply = {"status": "unsupported", "what": str(exc)[:500]}
                except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
                    reply = {"status": "raised", "error": describe_exception(exc, self.path)}
                self.guard.after_call(window, function_mode, dispatch_mode)
        except BaseException:  # noqa: BLE001 - leaving modes that the student's code took away
            self.guard.compromised = True
            window.tamper("the grader's modes were taken off torch's stacks")
        return reply

    def _run(self, fn, args, request, window, before, passed) -> dict:
        result = _plain(fn(*args))
        max_items, passes = int(request.get("max_items", 100_000)), int(request.get("passes", 1))
        if passes == 1:
            result = _materialise(result, max_items)
        else:  # each pass a fresh iteration: a DataLoader reshuffles, a generator is used up
            result = [_materialise(result, max_items) for _ in range(max(2, min(passes, 4)))]
        reply = {"status": "ok"}
        vjp = request.get("vjp")
        grads = self._vjp(result, args, vjp) if vjp is not None else None  # watched: a custom backward runs here
        # Copying into plain data runs nothing of the student's: _freeze and _state read only tensors of
        # torch's own class, and refuse anything else before touching it.
        with self.guard.kit_work(window):
            if vjp is not None:
                reply["grads"] = _freeze(grads)
            reply["result"] = _freeze(result)
            if request.get("return_args"):
                reply["args_after"] = _state(list(passed), before, window)
        return reply

    def call_stacked(self, request: dict) -> dict:
        """One function on ``n`` argument lists sliced from stacked tensors, with stacked replies.

        Made for verifying a function along a known trajectory: a few large tensors cross
        instead of thousands of small ones. An argument {"__each__": T, "leaf": bool, "grad": G}
        is T[i] in call i (a fresh leaf that requires grad, with .grad = G[i], when "leaf").
        Any irregular call (an error, a result that is not a tensor of the same shape as the
        others, a missing gradient) ends the batch with status "uneven": the grader then makes
        the calls one by one, which report exactly what happened. Every call runs inside the watch,
        as a single call does, so that no call can tell it apart from the others.
        """
        name = request["fn"]
        fn = self._function(name)
        if fn is None:
            return {"status": "missing"}
        window = self.guard.window(name)
        # The calls' arguments are cut from the grader's stacks before the watch starts: no student
        # code is involved, and the watch would only slow the copying down.
        prepared = []
        for i in range(int(request["n"])):
            leaves: list[torch.Tensor] = []
            prepared.append(([_slice(a, i, leaves) for a in request["args"]], leaves))
        _seed_everything(int(request["seed"]))
        reply = self._watched(window, lambda: self._run_stacked(fn, request, prepared, window))
        if reply.get("status") != "ok":
            reply = {"status": "uneven"}
        reply["hits"] = window.report()
        return reply

    def _run_stacked(self, fn, request: dict, prepared: list, window) -> dict:
        grad_output, want_after, want_result = request.get("grad_output"), bool(request.get("after")), \
            request.get("result", True)
        results, grads, after = [], [], []
        kit = self.guard.kit_work(window)
        outputs, wrt, grad_outputs, counts = [], [], [], []
        for i, (args, leaves) in enumerate(prepared):
            result = fn(*args)
            if (want_result or grad_output is not None) and type(result) is not _TENSOR:
                return {"status": "uneven"}
            if want_result and results and (_size(result) != _size(results[0])
                                            or _attr(result, "dtype") != _attr(results[0], "dtype")):
                return {"status": "uneven"}
            if grad_output is not None:
                outputs.append(result)
                wrt += leaves
                grad_outputs.append(grad_output[i])
                counts.append(len(leaves))
            # Copies of tensors of torch's own class (checked above) run nothing of the student's.
            with kit:
                if want_result:
                    results.append(_clone(_detach(result)))
                if want_after:
                    after.append([(_clone(_detach(leaf)), _cleared(leaf), bool(_attr(leaf, "requires_grad")),
                                   bool(_attr(leaf, "is_leaf"))) for leaf in leaves])
        if grad_output is not None:
            # One backward through every call's graph: each call's leaves are its own, so each gets
            # the gradient of its own call. Watched: a custom backward of the student's runs here.
            got = _autograd_grad(outputs, wrt, grad_outputs=grad_outputs, allow_unused=True)
            if any(type(g) is not _TENSOR or _size(g) != _size(leaf) for g, leaf in zip(got, wrt)):
                return {"status": "uneven"}
            with kit:
                start = 0
                for count in counts:
                    grads.append([_clone(_detach(g)) for g in got[start:start + count]])
                    start += count
        with kit:
            return self._stacked_reply(results, grads, after)

    @staticmethod
    def _stacked_reply(results, grads, after) -> dict:
        reply = {"status": "ok"}
        if results:
            reply["result"] = _stack(results)
        if grads:
            reply["grads"] = [_stack(list(column)) for column in zip(*grads)]
        if after:
            reply["after"] = [{"data": _stack([a[k][0] for a in after]),
                               "cleared": all(a[k][1] for a in after),
                               "requires_grad": all(a[k][2] for a in after),
                               "is_leaf": all(a[k][3] for a in after)} for k in range(len(after[0]))]
        return reply

    @staticmethod
    def _vjp(result, args, vjp: dict):
        """The gradient the grader asks for, taken inside the watch (a custom backward runs here)."""
        if type(result) is not _TENSOR or not _attr(result, "requires_grad"):
            return None
        wrt = [args[i] for i in vjp["wrt"]]
        return list(_autograd_grad(result, wrt, grad_outputs=vjp["grad_output"], allow_unused=True))


def _allowlists(spec: dict) -> dict:
    """{"default": rules, "functions": {fn: rules}} (config.operators) as Allowlists; the default under
    the key None."""
    def made(rules):
        return None if rules is None else allowlist(rules.get("sets", ()), rules.get("extra", ()))
    out = {fn: made(rules) for fn, rules in (spec.get("functions") or {}).items()}
    out[None] = made(spec.get("default"))
    return out


def _cleared(leaf) -> bool:
    grad = _attr(leaf, "grad")
    return grad is None or not float(_item(_sum(_abs(grad)))) > 0


def _hide_the_kit() -> None:
    """Take the kit's modules out of sys.modules before the submission runs: this process keeps its
    own references, and an import of the kit's name finds a fresh copy that holds nothing of it."""
    for name in [n for n in sys.modules if n == "autograder" or n.startswith("autograder.")]:
        del sys.modules[name]


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
