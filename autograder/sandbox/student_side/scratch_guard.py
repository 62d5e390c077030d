"""Notices a student function that calls the framework's ready-made version.

Runs inside the student process. Three layers, so that neither aliasing, method
calls, ``getattr`` nor ``torch._C``/``torch.ops`` get past it:

* a TorchFunctionMode sees torch's Python-level functions and Tensor methods by name;
* a TorchDispatchMode sees the aten operators every route ends in (``_softmax`` ...);
* classes (``nn.Linear``, optimizers) are patched, and forbidden packages that are not
  installed (``d2l``) import as a stub that records every use inside a graded call.

Since it runs in the student's process, it also watches itself: the tools that take a mode off
torch's stacks or switch the stacks off are wrapped with tripwires that record a call from outside
torch, and after each call ``switched_off`` checks that both modes and the patched classes are
still in place. Either records a hit prefixed with ``TAMPERED``, which the grader scores as
tampering. The grader's static reading (static_scan) is the first signal; this is the second.

Packages that are merely missing and harmless (``matplotlib`` for the book's plots) import as
no-op stubs, so that a file pasted from the book with its plotting lines still loads.

It only records, inside the window of a student call; scoring decides what a hit costs.
"""
from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
import sysconfig
import types

import torch
import torch.overrides
import torch.utils._mode_utils
import torch.utils._python_dispatch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from autograder.sandbox.protocol import TAMPERED

# The ways to take the grader's modes off torch's stacks, or to make torch skip them.
_SWITCHES = {
    torch._C: ("DisableTorchFunction", "_DisableTorchDispatch", "_pop_torch_function_stack",
               "_pop_torch_dispatch_stack", "_ExcludeDispatchKeyGuard", "_set_torch_function_mode"),
    torch.overrides: ("_pop_mode", "_pop_mode_temporarily"),
    torch.utils._python_dispatch: ("_pop_mode", "_pop_mode_temporarily", "_disable_current_modes"),
    torch.utils._mode_utils: ("no_dispatch",),
}
# Bound now, before any student code runs, so that replacing them later does not blind the check.
_function_stack_len, _function_stack_at = torch._C._len_torch_function_stack, torch._C._get_function_stack_at
_dispatch_stack_len, _dispatch_stack_at = torch._C._len_torch_dispatch_stack, torch._C._get_dispatch_stack_at
_torch_function_enabled = torch._C._is_torch_function_enabled
_key_excluded, _PYTHON_KEY = torch._C._dispatch_tls_is_dispatch_key_excluded, torch._C.DispatchKey.Python
# Callers from these places are torch's or Python's own code (printing a tensor pops the modes).
_TRUSTED_DIRS = tuple(os.path.dirname(p) + os.sep for p in (torch.__file__, __file__)) + tuple(
    {sysconfig.get_paths()[k] + os.sep for k in ("stdlib", "platstdlib")})

# A configured name's last component, normalised, and the aten operators it ends in.
_LEAF_ALIASES = {
    "softmax": "softmax", "logsoftmax": "log_softmax", "log_softmax": "log_softmax",
    "crossentropyloss": "cross_entropy", "cross_entropy": "cross_entropy",
    "nllloss": "nll_loss", "nll_loss": "nll_loss", "mseloss": "mse_loss", "mse_loss": "mse_loss",
    "linear": "linear",
}
_ATEN_OPS = {
    "softmax": {"_softmax", "softmax", "_safe_softmax", "_masked_softmax", "_sparse_softmax"},
    "_softmax": {"_softmax"},
    "_safe_softmax": {"_safe_softmax"},
    "_masked_softmax": {"_masked_softmax"},
    "softmin": {"_softmax", "softmax"},
    "log_softmax": {"_log_softmax", "log_softmax", "_sparse_log_softmax"},
    "_log_softmax": {"_log_softmax"},
    "scaled_dot_product_attention": {"_scaled_dot_product_attention_math", "_scaled_dot_product_flash_attention",
                                     "_scaled_dot_product_flash_attention_for_cpu", "_safe_softmax",
                                     "_scaled_dot_product_efficient_attention", "scaled_dot_product_attention"},
    "logsumexp": {"logsumexp"},
    "relu": {"relu", "relu_"},
    "relu_": {"relu", "relu_"},
    "relu6": {"hardtanh", "relu6"},
    "sigmoid": {"sigmoid", "sigmoid_"},
    "expit": {"sigmoid"},
    "hardsigmoid": {"hardsigmoid", "hardsigmoid_"},
    "hardtanh": {"hardtanh", "hardtanh_"},
    "huber_loss": {"huber_loss"},
    "huberloss": {"huber_loss"},
    "smooth_l1_loss": {"smooth_l1_loss"},
    "smoothl1loss": {"smooth_l1_loss"},
    "binary_cross_entropy": {"binary_cross_entropy"},
    "bceloss": {"binary_cross_entropy"},
    "binary_cross_entropy_with_logits": {"binary_cross_entropy_with_logits"},
    "bcewithlogitsloss": {"binary_cross_entropy_with_logits"},
    "cross_entropy": {"_log_softmax", "nll_loss_forward", "nll_loss2d_forward", "cross_entropy_loss"},
    "nll_loss": {"nll_loss_forward", "nll_loss2d_forward", "nll_loss_nd"},
    "mse_loss": {"mse_loss"},
    "inverse": {"linalg_inv_ex"},
    "linalg_inv": {"linalg_inv_ex"},
    "linalg_pinv": {"linalg_pinv"},
    "linalg_lstsq": {"linalg_lstsq"},
}


def _leaf(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    if name.startswith("torch.linalg."):
        return f"linalg_{last}"  # how torch names these functions (torch.linalg.inv is linalg_inv)
    return _LEAF_ALIASES.get(last.lower(), _LEAF_ALIASES.get(last, last if last in _ATEN_OPS else
                                                             last.lower() if last.lower() in _ATEN_OPS else last))


def _resolve(name: str):
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


class ScratchGuard:
    """Records forbidden uses while ``active``; ``hits`` holds readable descriptions."""

    def __init__(self, forbidden: list[str], harmless: list[str] = ()):
        self.forbidden = list(forbidden)
        self.active = False
        self.in_call = False
        """True while a student function runs for a check (not while the file is imported)."""
        self.hits: list[str] = []
        self._fn_leaves: dict[str, str] = {}
        self._aten: dict[str, str] = {}
        self._missing_packages: list[str] = []
        self._stub_members: dict[str, set[str]] = {}
        """Absent package -> its forbidden members ("d2l" -> {"linreg", ...}); the rest is harmless."""
        self._patched: list[tuple[type, str, object]] = []
        self.compromised = False
        """The watch was found switched off after a call: the process should not serve another."""
        for name in self.forbidden:
            self._arm(name)
        stubbed = self._missing_packages + sorted(self._stub_members)
        if stubbed:
            sys.meta_path.insert(0, _StubFinder(self, stubbed, forbidden=True))
        absent = [name for name in harmless if importlib.util.find_spec(name) is None]
        if absent:
            sys.meta_path.append(_StubFinder(self, absent, forbidden=False))
        global _current_guard
        _current_guard = self
        _set_tripwires()

    def record(self, what: str) -> None:
        if self.active and what not in self.hits:
            self.hits.append(what)

    def _arm(self, name: str) -> None:
        root = name.split(".")[0]
        if root not in ("torch",) and importlib.util.find_spec(root) is None:
            if "." in name:
                self._stub_members.setdefault(root, set()).add(name.rsplit(".", 1)[1])
            else:
                self._missing_packages.append(name)
            return
        obj = _resolve(name)
        leaf = _leaf(name)
        if leaf in _ATEN_OPS:
            for op in _ATEN_OPS[leaf]:
                self._aten.setdefault(op, name)
        if isinstance(obj, types.ModuleType):
            for value in vars(obj).values():
                if isinstance(value, type) and value.__module__.startswith(obj.__name__):
                    self._patch_class(value, f"{name}.{value.__name__}")
        elif isinstance(obj, type):
            self._patch_class(obj, name)
            self._fn_leaves.setdefault(leaf, name)
        else:
            self._fn_leaves.setdefault(leaf, name)

    def _patch_class(self, cls: type, name: str) -> None:
        for method in ("__init__", "forward", "step"):
            original = cls.__dict__.get(method)
            if original is None or getattr(original, "_scratch_guard", False):
                continue
            wrapper = self._recording(original, name)
            try:
                setattr(cls, method, wrapper)
            except (TypeError, AttributeError):
                continue
            self._patched.append((cls, method, wrapper))

    def switched_off(self, function_mode, dispatch_mode) -> str | None:
        """Why the watch is no longer in force after a student call, or None if it is."""
        if not _torch_function_enabled():
            return "torch's function modes were left switched off"
        if _function_stack_len() == 0 or _function_stack_at(_function_stack_len() - 1) is not function_mode:
            return "the grader's function mode was taken off torch's stack"
        if _dispatch_stack_len() == 0 or _dispatch_stack_at(_dispatch_stack_len() - 1) is not dispatch_mode:
            return "the grader's dispatch mode was taken off torch's stack"
        if _key_excluded(_PYTHON_KEY):
            return "torch's Python dispatch was left switched off"
        for cls, method, wrapper in self._patched:
            if not _still_calls(cls.__dict__.get(method), wrapper):
                return f"the grader's watch on {cls.__name__}.{method} was removed"
        return None

    def check_intact(self, function_mode, dispatch_mode) -> None:
        """Record a tampering hit if the student's call left the watch switched off; the process
        is then ``compromised``, and ends after its reply, so that later calls start clean."""
        problem = self.switched_off(function_mode, dispatch_mode)
        if problem is not None:
            self.compromised = True
            was_active, self.active = self.active, True
            self.record(f"{TAMPERED}{problem}")
            self.active = was_active

    def _recording(self, original, name: str):
        guard = self

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            guard.record(name)
            return original(*args, **kwargs)

        wrapper._scratch_guard = True
        return wrapper

    def modes(self):
        """The two torch modes to enter around a student call."""
        return _FunctionMode(self), _DispatchMode(self)


def _still_calls(method, wrapper) -> bool:
    """Is ``wrapper`` still what ``method`` is, or what it wraps? torch wraps a patched method in
    turn (each optimizer's step gets profiling hooks on the first instance), with functools.wraps."""
    for _ in range(8):
        if method is wrapper:
            return True
        method = getattr(method, "__wrapped__", None)
        if method is None:
            return False
    return False


_current_guard: ScratchGuard | None = None
"""The guard of this process (the last one made); the tripwires record into it."""


def _set_tripwires() -> None:
    """Wrap each switch in a tripwire, once per process (a forked child keeps its template's)."""
    for module, names in _SWITCHES.items():
        for name in names:
            original = getattr(module, name, None)
            if original is None or getattr(original, "_scratch_guard", False):
                continue
            try:
                setattr(module, name, _tripwire(original, f"{module.__name__}.{name}"))
            except (TypeError, AttributeError):
                pass


def _tripwire(original, name: str):
    def tripwire(*args, **kwargs):
        guard = _current_guard
        if guard is not None and guard.in_call and \
                not sys._getframe(1).f_code.co_filename.startswith(_TRUSTED_DIRS):
            guard.record(f"{TAMPERED}{name}, which switches off the grader's from-scratch watch")
        return original(*args, **kwargs)

    tripwire._scratch_guard = True
    return tripwire


class _FunctionMode(TorchFunctionMode):
    def __init__(self, guard: ScratchGuard):
        super().__init__()
        self.guard = guard

    def __torch_function__(self, func, types, args=(), kwargs=None):
        # An aten overload is named "linear.default": its packet's name is what the table knows.
        leaf = str(getattr(func, "__name__", "")).split(".", 1)[0]
        if leaf in self.guard._fn_leaves:
            module = getattr(func, "__module__", None) or "torch.Tensor"
            if module.startswith("torch"):
                self.guard.record(self.guard._fn_leaves[leaf])
        return func(*args, **(kwargs or {}))


class _DispatchMode(TorchDispatchMode):
    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # Nothing here is compiled; the default wraps the mode so that its first use
        # imports torch._dynamo, which costs a second per student process.
        return False

    def __init__(self, guard: ScratchGuard):
        super().__init__()
        self.guard = guard

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        op = func.overloadpacket.__name__
        if op in self.guard._aten:
            self.guard.record(self.guard._aten[op])
        return func(*args, **(kwargs or {}))


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an absent package as a stub: a forbidden one (d2l) records each use in a graded
    call; a harmless one (matplotlib) does nothing at all."""

    def __init__(self, guard: ScratchGuard, packages: list[str], forbidden: bool):
        self.guard = guard
        self.forbidden = forbidden
        self.pattern = re.compile(r"^(%s)(\.|$)" % "|".join(map(re.escape, packages)))

    def find_spec(self, fullname, path, target=None):
        if self.pattern.match(fullname):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        if not self.forbidden:
            return _StubModule(spec.name, None)
        root = spec.name.split(".")[0]
        members = self.guard._stub_members.get(root)
        return _StubModule(spec.name, self.guard, members)

    def exec_module(self, module):
        module.__path__ = []


class _StubModule(types.ModuleType):
    """An absent package. ``members``: the forbidden ones (the rest is harmless); None: all of
    it is forbidden. d2l's tensor aliases (d2l.normal is torch.normal) work as in d2l."""

    def __init__(self, name: str, guard: ScratchGuard | None, members: set[str] | None = None):
        super().__init__(name)
        self._guard = guard
        self._members = members

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        root = self.__name__.split(".")[0]
        if self._members is not None and attr not in self._members:
            if root == "d2l" and attr in ("torch", "mxnet", "tensorflow", "jax"):  # from d2l import torch as d2l
                module = _StubModule(f"{self.__name__}.{attr}", self._guard, self._members)
                setattr(self, attr, module)
                return module
            if root == "d2l" and attr in _d2l_names():
                return _d2l_names()[attr]
            return _StubCallable(f"{self.__name__}.{attr}", None)
        return _StubCallable(f"{root}.{attr}" if self._members is not None else f"{self.__name__}.{attr}",
                             self._guard, record_whole=self._members is not None)


class _StubCallable:
    """Any attribute or call of a stubbed package: a no-op, except a forbidden package's
    use inside a graded call, which is recorded and fails."""

    def __init__(self, name: str, guard: ScratchGuard | None, record_whole: bool = False):
        self._name, self._guard, self._record_whole = name, guard, record_whole

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _StubCallable(f"{self._name}.{attr}", self._guard, self._record_whole)

    def __call__(self, *args, **kwargs):
        if self._guard is not None and self._guard.in_call:
            self._guard.record(self._name if self._record_whole else self._name.split(".")[0])
            raise RuntimeError(f"{self._name} is not available while grading: "
                               "this exercise asks you to write it from scratch")
        return _StubCallable(f"{self._name}()", self._guard)

    def __iter__(self):
        return iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Accumulator:
    """d2l.Accumulator: sums over n variables."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


@functools.cache
def _d2l_names() -> dict:
    """What d2l's torch.py (0.17) gives that is not a solution: aliases of torch functions, the
    Accumulator, and the book's data loaders, which give empty iterators here (there is no dataset,
    and `train_iter, test_iter = d2l.load_data_fashion_mnist(256)` at the top of a pasted section
    must still load)."""
    import torch
    direct = {name: getattr(torch, name) for name in (
        "ones", "zeros", "tensor", "arange", "meshgrid", "sin", "sinh", "cos", "cosh", "tanh", "linspace",
        "exp", "log", "normal", "rand", "randn", "matmul", "int32", "float32", "stack", "abs", "eye")}
    methods = {"numpy": lambda x, *a, **k: x.detach().numpy(*a, **k), "size": lambda x, *a, **k: x.numel(*a, **k),
               "reshape": lambda x, *a, **k: x.reshape(*a, **k), "to": lambda x, *a, **k: x.to(*a, **k),
               "reduce_sum": lambda x, *a, **k: x.sum(*a, **k), "argmax": lambda x, *a, **k: x.argmax(*a, **k),
               "astype": lambda x, *a, **k: x.type(*a, **k), "transpose": lambda x, *a, **k: x.t(*a, **k),
               "reduce_mean": lambda x, *a, **k: x.mean(*a, **k)}
    data = {"load_data_fashion_mnist": lambda *args, **kwargs: ([], []),
            "get_dataloader_workers": lambda *args, **kwargs: 0}
    return {**direct, "concat": torch.cat, "Accumulator": _Accumulator, **methods, **data}
