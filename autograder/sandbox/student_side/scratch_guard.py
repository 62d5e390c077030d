"""The from-scratch watch, inside the student process: what each graded call ran.

A graded call runs inside a :class:`Window` of its own, under two torch modes:

* a TorchFunctionMode sees every torch function and Tensor method the student's code calls
  (``torch.exp``, ``x.sum()``, ``x + y``, ``F.l1_loss``), and, when the code is torch's own Python
  (an optimizer's step, a DataLoader), the torch routine the student called to get there;
* a TorchDispatchMode sees the aten operators every route ends in (an alias, ``torch.ops``, a hook,
  a custom backward).

A function with an allowlist (``autograder/operators.py``, chosen in grading.toml) may use only
what its sets name, at both levels; anything else is recorded. A function without one ("any")
is held to the assignment's forbidden calls only: names matched at both levels, patched classes
(``nn.Linear``, optimizers), and d2l's own solutions.

The window stays open until the reply is built: generators are run, gradients are taken and
values are copied into plain tensors inside it, so nothing of the student's runs unwatched.
Tensor subclasses that carry their own code are recorded where they meet torch.

Since the watch lives in the student's process, it also watches itself. The functions that take a
mode off torch's stacks, switch the stacks off, push another mode or hand out the modes on the
stack are wrapped with tripwires; thread and process starts are tripwires too. After each call,
:meth:`ScratchGuard.after_call` checks that both modes are in place, that the watched namespaces
(torch, Tensor, the watch's own classes, builtins) hold what they held before the submission was
imported, and that no thread or process was left running. Each finding is a tampering hit.
"""
from __future__ import annotations

import builtins
import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import os
import re
import sys
import types

import torch
import torch.nn.functional
import torch.overrides
import torch.utils._mode_utils
import torch.utils._python_dispatch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from autograder.operators import Allowlist
from autograder.sandbox.student_side import d2l_standin

# ---------------------------------------------------------------------------------------------
# Bound now, before any student code runs, so that replacing them later changes nothing here.
_getframe = sys._getframe
_function_stack_len, _function_stack_at = torch._C._len_torch_function_stack, torch._C._get_function_stack_at
_dispatch_stack_len, _dispatch_stack_at = torch._C._len_torch_dispatch_stack, torch._C._get_dispatch_stack_at
_push_function, _pop_function = torch._C._push_on_torch_function_stack, torch._C._pop_torch_function_stack
_torch_function_enabled = torch._C._is_torch_function_enabled
_key_excluded, _PYTHON_KEY = torch._C._dispatch_tls_is_dispatch_key_excluded, torch._C.DispatchKey.Python
_HANDLE_TORCH_FUNCTION = torch.overrides.handle_torch_function.__code__
_skip_one_hop = getattr(torch._C, "_skip_one_hop_torch_function", None)
"""Calls a function past torch's function modes for one hop (torch >= 2.10); older torch: None."""
_TENSOR, _PARAMETER, _TB = torch.Tensor, torch.nn.Parameter, torch._C.TensorBase
_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep
_TORCH_PARENT = os.path.dirname(os.path.dirname(torch.__file__)) + os.sep
_listdir = os.listdir
try:
    import _thread
    _thread_count = _thread._count
except (ImportError, AttributeError):  # pragma: no cover
    _thread_count = None

TAMPERED = "tampered: "
"""Prefix of a hit that says the watch itself was interfered with (the grader scores it as tampering)."""

# The ways to take the grader's modes off torch's stacks, make torch skip them, push another mode
# on top, or get hold of the modes on the stack.
_SWITCHES = {
    torch._C: ("DisableTorchFunction", "_DisableTorchDispatch", "_pop_torch_function_stack",
               "_pop_torch_dispatch_stack", "_push_on_torch_function_stack", "_push_on_torch_dispatch_stack",
               "_get_function_stack_at", "_get_dispatch_stack_at", "_get_dispatch_mode", "_set_dispatch_mode",
               "_unset_dispatch_mode", "_ExcludeDispatchKeyGuard", "ExcludeDispatchKeyGuard",
               "_SetExcludeDispatchKeyGuard", "_ForceDispatchKeyGuard", "_set_torch_function_mode",
               "_set_torch_function_state", "_set_skip_next_torch_function", "_skip_one_hop_torch_function",
               "_dispatch_tls_set_dispatch_key_excluded"),
    torch.overrides: ("_pop_mode", "_pop_mode_temporarily", "_push_mode", "_get_current_function_mode",
                      "_get_current_function_mode_stack", "_get_function_stack_at", "_pop_torch_function_stack",
                      "_push_on_torch_function_stack"),
    torch.utils._python_dispatch: ("_pop_mode", "_pop_mode_temporarily", "_push_mode", "_disable_current_modes",
                                   "_get_current_dispatch_mode", "_get_current_dispatch_mode_stack",
                                   "_get_dispatch_stack_at", "_pop_torch_dispatch_stack",
                                   "_push_on_torch_dispatch_stack"),
    torch.utils._mode_utils: ("no_dispatch",),
    # Dispatching an operator to a kernel below the Python key, where neither mode sees it.
    torch._ops.OpOverload: ("redispatch",),
    type(torch.ops.aten.add.Tensor._handle): ("redispatch_boxed",),
}
# TorchScript runs its own interpreter, whose calls torch's function mode never sees.
_SCRIPTED = tuple(cls for cls in (getattr(torch._C, "ScriptFunction", None), getattr(torch._C, "ScriptMethod", None))
                  if cls is not None)
# Threads and processes do work where the modes (which are per thread) cannot see it.
_STARTERS = {"_thread": ("start_new_thread", "start_new", "start_joinable_thread"),
             "threading": ("_start_new_thread", "_start_joinable_thread"),  # threading's own aliases
             "os": ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system"),
             "_posixsubprocess": ("fork_exec",), "subprocess": ("_fork_exec",)}
_PUSHES = frozenset({"_push_on_torch_function_stack", "_push_on_torch_dispatch_stack", "_push_mode",
                     "_set_dispatch_mode"})
"""Switches that put a mode on top of the grader's: torch's own modes (torch.device as a context
manager) are fine there, a mode of the student's is not."""

# ---------------------------------------------------------------------------------------------
# Whose code a frame runs: the kit's (this watch, the call server), torch's, or the student's
# (anything else: the submission, the standard library, numpy).
_KIT, _TORCH, _STUDENT = "kit", "torch", "student"


def _code_objects(namespaces) -> set:
    """Every code object of the functions and methods defined in ``namespaces`` (module or class
    dicts), nested ones included; read with vars(), so that nothing lazy is triggered."""
    found: set = set()

    def add(code):
        if code in found:
            return
        found.add(code)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                add(const)

    def walk(namespace, seen):
        for value in list(namespace.values()):
            for candidate in (value, getattr(value, "__func__", None), getattr(value, "fget", None),
                              getattr(value, "__wrapped__", None) if isinstance(value, types.FunctionType) else None):
                if isinstance(candidate, types.FunctionType):
                    add(candidate.__code__)
            if isinstance(value, type) and value not in seen and value.__module__ == namespace.get("__name__", value.__module__):
                seen.add(value)
                walk(dict(vars(value)), seen)

    for namespace in namespaces:
        walk(dict(namespace), set())
    return found


def _module_name(filename: str) -> str:
    if filename.startswith(_TORCH_PARENT):
        return filename[len(_TORCH_PARENT):].removesuffix(".py").removesuffix("/__init__").replace(os.sep, ".")
    return os.path.basename(filename).removesuffix(".py")


def _public(name: str) -> str:
    """A torch name as students know it: torch._tensor.Tensor.x is Tensor.x, torch.functional.x is torch.x,
    torch._C._nn.x is torch.nn.functional.x."""
    for private, public in (("torch._tensor.Tensor.", "Tensor."), ("torch._C.TensorBase.", "Tensor."),
                            ("torch._tensor.TensorBase.", "Tensor."), ("torch.functional.", "torch."),
                            ("torch._C._VariableFunctions.", "torch."), ("torch._C._nn.", "torch.nn.functional."),
                            ("torch._C._linalg.linalg_", "torch.linalg."), ("torch._C._special.special_", "torch.special."),
                            ("torch._C._fft.fft_", "torch.fft."), ("torch._C._sparse.", "torch.sparse.")):
        if name.startswith(private):
            return public + name[len(private):]
    return name


@functools.lru_cache(maxsize=4096)
def python_name(func) -> str | None:
    """The public name of what torch's function mode hands over; None for attribute access
    (``x.shape``, ``x.grad = None``), which is always allowed."""
    qualname = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or type(func).__name__
    if qualname in ("getset_descriptor.__get__", "getset_descriptor.__set__", "getset_descriptor.__delete__"):
        return None
    packet = getattr(func, "overloadpacket", None) if isinstance(func, torch._ops.OpOverload) else (
        func if isinstance(func, torch._ops.OpOverloadPacket) else None)
    if packet is not None:
        return f"aten.{packet.__name__}"
    if isinstance(func, types.FunctionType):  # the code's own file and name
        for _ in range(4):  # torch's decorators keep the decorated function here (functools.wraps)
            inner = getattr(func, "__wrapped__", None)
            if inner is None:
                break
            if not isinstance(inner, types.FunctionType):  # Tensor.__pow__ wraps TensorBase.pow
                return python_name(inner)
            func = inner
        code = func.__code__
        # Python 3.10's code objects have no co_qualname; the function's own one is the same there.
        return _public(f"{_module_name(code.co_filename)}.{getattr(code, 'co_qualname', None) or func.__qualname__}")
    if qualname.startswith("_VariableFunctionsClass."):
        return "torch." + qualname.split(".", 1)[1]
    if qualname.startswith("TensorBase."):
        return "Tensor." + qualname.split(".", 1)[1]
    module = getattr(func, "__module__", None) or ""
    return _public(f"{module}.{qualname}" if module else qualname)


# ---------------------------------------------------------------------------------------------
class Window:
    """One watched stretch of the student's code: a graded call, with what it may use and what it did."""

    __slots__ = ("fn", "graded", "allow", "hits", "aten_hits", "tampering", "kit")

    def __init__(self, fn: str | None, allow: Allowlist | None, graded: bool):
        self.fn, self.allow, self.graded = fn, allow, graded
        self.kit = 0
        """Inside the call server's own copying of plain tensors (no student code can run there)."""
        self.hits: list[str] = []
        self.aten_hits: list[str] = []
        """Operators outside the allowlist: reported only where no torch function explains them."""
        self.tampering: list[str] = []

    def record(self, what: str) -> None:
        if self.graded and what not in self.hits and len(self.hits) < 50:
            self.hits.append(what)

    def record_op(self, what: str) -> None:
        if self.graded and what not in self.aten_hits and len(self.aten_hits) < 50:
            self.aten_hits.append(what)

    def tamper(self, what: str) -> None:
        if what not in self.tampering and len(self.tampering) < 20:
            self.tampering.append(what)

    def report(self) -> list[str]:
        return list(self.hits or self.aten_hits) + [TAMPERED + t for t in self.tampering]


def current_window() -> Window | None:
    """The window of the innermost graded call, found through torch's mode stack (so that no
    global of the student's reach holds it)."""
    for i in range(_function_stack_len() - 1, -1, -1):
        mode = _function_stack_at(i)
        if type(mode) is _FunctionMode:
            return mode.window
    return None


class ScratchGuard:
    """The watch of one student process: the assignment's rules, and the windows it opens."""

    def __init__(self, forbidden=(), harmless=(), operators: dict | None = None):
        self.forbidden = list(forbidden)
        self.operators: dict[str | None, Allowlist | None] = dict(operators or {})
        """Function -> its allowlist (None: any torch is fine, only forbidden calls count); the
        key None holds the assignment's default."""
        self._fn_leaves: dict[str, str] = {}
        self._aten: dict[str, str] = {}
        self._stub_members: dict[str, set[str]] = {}
        self._patched: list[tuple[type, str, object]] = []
        self.compromised = False
        """The watch was found switched off after a call: the process should not serve another."""
        for name in self.forbidden:
            self._arm(name)
        if self._stub_members:
            sys.meta_path.insert(0, _StubFinder(sorted(self._stub_members), self._stub_members))
        absent = [name for name in harmless if importlib.util.find_spec(name) is None]
        if absent:
            sys.meta_path.append(_StubFinder(absent, None))
        _set_tripwires()
        self._kinds: dict = {}
        self._kit_codes = _kit_codes()
        self._entry_codes: dict[int, frozenset] = {}
        self._snapshot: list | None = None
        self._namespaces: list | None = None
        self._verdicts: dict = {}
        """(function, calling code, allowlist) -> what to record (_ALLOWED: nothing), for calls seen before."""
        self._threads = 1

    # -- the rules ----------------------------------------------------------------------------
    def _arm(self, name: str) -> None:
        root = name.split(".")[0]
        if root == "d2l":
            self._stub_members.setdefault(root, set()).add(name.rsplit(".", 1)[1])
            return
        if root != "torch" and importlib.util.find_spec(root) is None:
            return
        obj = _resolve(name)
        leaf = _leaf(name)
        for op in _ATEN_OPS.get(leaf, ()):
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
            wrapper = _recording(original, name)
            try:
                setattr(cls, method, wrapper)
            except (TypeError, AttributeError):
                continue
            self._patched.append((cls, method, wrapper))

    # -- windows --------------------------------------------------------------------------------
    def window(self, fn: str | None = None) -> Window:
        """A window for a graded call of ``fn`` (None: not graded, such as the file's import)."""
        allow = self.operators[fn] if fn in self.operators else self.operators.get(None)
        return Window(fn, allow if fn is not None else None, fn is not None)

    def modes(self, window: Window):
        """The two torch modes to enter around ``window``'s code."""
        return _FunctionMode(self, window), _DispatchMode(self, window)

    @staticmethod
    def kit_work(window: Window) -> "_KitWork":
        """A context in which the modes let the call server's own work on plain tensors through."""
        return _KitWork(window)

    def _kind(self, code) -> str:
        kind = self._kinds.get(code)
        if kind is None:
            if code in self._kit_codes:
                kind = _KIT
            elif code.co_filename.startswith(_TORCH_DIR):
                kind = _TORCH
            else:
                kind = _STUDENT
            self._kinds[code] = kind
        return kind

    def judge_call(self, window: Window, func, types_, frame, args=()) -> None:
        """What the student's code called, at the Python level: ``frame`` is the frame that called into
        torch's function mode."""
        for kind in types_:
            if window.allow is not None and _own_hook(kind, "__torch_function__"):
                window.tamper(f"a tensor subclass with a __torch_function__ of its own ({kind.__qualname__}), "
                              "whose code runs inside torch's calls where the grader's watch cannot see it")
        if frame.f_code is _HANDLE_TORCH_FUNCTION:  # a torch function written in Python, with its own handler
            frame = frame.f_back.f_back
        kind = self._kind(frame.f_code)
        if kind is _KIT:
            return
        if kind is _TORCH:  # torch's own code runs this: judge the torch routine the student called
            entry, up = frame, frame.f_back
            while up is not None and self._kind(up.f_code) is _TORCH:
                entry, up = up, up.f_back
            if up is None or self._kind(up.f_code) is _KIT:
                return
            self._judge_entry(window, entry)
            return
        verdict = self._verdicts.get((func, frame.f_code, window.allow))
        if verdict is not None and not (verdict is _LIST_EXIT and _floating(args)):
            if verdict is not _ALLOWED and verdict is not _LIST_EXIT:
                window.record(verdict)
            return
        name = python_name(func)
        if name is None or (name in _EXITS and not _floating(args)):  # labels and indices as lists
            self._remember(func, frame.f_code, window.allow, _LIST_EXIT if name in _EXITS else _ALLOWED)
            return
        # The forbidden calls: by the leaf torch gives the function (torch.linalg.inv is linalg_inv).
        leaf = str(getattr(func, "__name__", "")).split(".", 1)[0]
        allow = window.allow
        found = None
        if leaf in self._fn_leaves and (getattr(func, "__module__", None) or "torch.Tensor").startswith("torch"):
            found = self._fn_leaves[leaf]
        elif allow is not None and name.startswith("aten."):
            found = None if allow.allows_aten(name[5:]) else f"torch.ops.{name}"
        elif allow is not None and not allow.allows_python(name):
            found = _display(func, name)
        self._remember(func, frame.f_code, allow, found or _ALLOWED)
        if found is not None:
            window.record(found)

    def _remember(self, func, code, allow, verdict) -> None:
        """The verdict on ``func`` called from ``code`` under ``allow``, kept for the next such call."""
        if len(self._verdicts) < 20000:
            try:
                self._verdicts[(func, code, allow)] = verdict
            except TypeError:  # an unhashable callable
                pass

    def _judge_entry(self, window: Window, entry) -> None:
        allow = window.allow
        if allow is None:
            return
        code = entry.f_code
        if code in self._allowed_entries(allow):
            return
        window.record(_describe_frame(entry))

    def _allowed_entries(self, allow: Allowlist) -> frozenset:
        """The code objects of the torch routines (written in Python) that ``allow`` names: only these
        may run torch calls on the student's behalf. Code that merely claims torch's file is not among them."""
        key = id(allow)
        codes = self._entry_codes.get(key)
        if codes is None:
            namespaces = []
            for name in allow.python:
                obj = _resolve_public(name)
                if isinstance(obj, types.FunctionType):
                    namespaces.append({"f": obj, "__name__": obj.__module__})
            for prefix in allow.prefixes:
                module = sys.modules.get(prefix.rstrip("."))
                if module is not None:
                    namespaces.append(vars(module))
            codes = frozenset(_code_objects(namespaces))
            self._entry_codes[key] = codes
        return codes

    def judge_op(self, window: Window, func, types_) -> None:
        """What ran at the aten level (every route ends here, hooks and custom backwards included)."""
        op = func.overloadpacket.__name__
        if op in self._aten:
            window.record(self._aten[op])
        allow = window.allow
        if allow is None:
            return
        if not allow.allows_aten(op):
            window.record_op(f"torch.ops.aten.{op}")
        for kind in types_:
            if _own_hook(kind, "__torch_dispatch__"):
                window.tamper(f"a tensor subclass with a __torch_dispatch__ of its own ({kind.__qualname__}), "
                              "whose code runs where the grader's watch cannot see it")

    # -- after a call ---------------------------------------------------------------------------
    def remember(self) -> None:
        """The functions, classes and modules the watched namespaces hold now (their other values are
        state that torch itself changes, such as whether a mode is on)."""
        if self._namespaces is None:
            self._namespaces = _watched_namespaces()
        self._snapshot = [(label, namespace, {k: v for k, v in list(namespace.items())
                                              if (keys is None or k in keys)
                                              and (callable(v) or isinstance(v, types.ModuleType))})
                          for label, namespace, keys in self._namespaces]
        self._threads = _os_threads()

    def after_call(self, window: Window, function_mode=None, dispatch_mode=None) -> None:
        """Record as tampering whatever the code left changed: the modes, a watched namespace, a thread."""
        if function_mode is not None:
            problem = self.switched_off(function_mode, dispatch_mode)
            if problem is not None:
                self.compromised = True
                window.tamper(problem)
        for changed in self.changes():
            window.tamper(f"{changed} was replaced by code of its own (the grader's watch and torch must stay "
                          "as they are)")
            self.compromised = True
        when = "after the call" if window.graded else "after the import"
        if _os_threads() > self._threads:
            window.tamper(f"a thread left running {when}, whose work the grader's watch cannot see")
            self.compromised = True
        if _other_processes():
            window.tamper(f"a process left running {when}, whose work the grader's watch cannot see")
            self.compromised = True

    def changes(self) -> list[str]:
        if self._snapshot is None:
            return []
        changed = []
        for label, namespace, saved in self._snapshot:
            for key, value in saved.items():
                now = namespace.get(key, _MISSING)
                if now is not value and not (label.startswith("torch") and _torch_own(now)):
                    changed.append(f"{label}.{key}")
                    if len(changed) >= 5:
                        return changed
        return changed

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


_MISSING = object()
_ALLOWED, _LIST_EXIT = object(), object()
_EXITS = frozenset({"Tensor.tolist"})
"""A way out of torch that is elementary for integers: labels and indices as a Python list, to index
with (``y_hat[range(n), y.tolist()]``); values (floats) leaving for a list are numpy_interop, and so
is anything going to numpy (``numpy()``, ``__array__``), whatever its dtype."""


def _own_hook(kind: type, hook: str) -> bool:
    """Whether a tensor class has its own ``hook`` (read from the class dicts, not through attributes):
    a subclass that only inherits torch's runs no code of its own inside torch's calls."""
    if kind is _TENSOR or kind is _PARAMETER:
        return False
    for klass in getattr(kind, "__mro__", ()):
        if hook in vars(klass):
            return not (getattr(klass, "__module__", "") or "").startswith("torch")
    return False


def _floating(args) -> bool:
    return bool(args) and isinstance(args[0], _TB) and (_TB.is_floating_point(args[0]) or _TB.is_complex(args[0]))


def _watched_namespaces():
    """What the watch and the call server rely on, and what a patch would turn against the grader."""
    from autograder.sandbox import protocol
    from autograder.sandbox.student_side import child
    # torch._C is large: what of it the watch relies on (its switches, the mode stacks), not all of it.
    core = {name for names in _SWITCHES.values() for name in names} | {
        "_len_torch_function_stack", "_len_torch_dispatch_stack", "_is_torch_function_enabled",
        "_dispatch_tls_is_dispatch_key_excluded", "TensorBase"}
    spaces = [("torch", vars(torch), None), ("torch.Tensor", torch.Tensor.__dict__, None),
              ("torch._C", vars(torch._C), core), ("torch.nn.functional", vars(torch.nn.functional), None),
              ("torch.overrides", vars(torch.overrides), None),
              ("torch.utils._python_dispatch", vars(torch.utils._python_dispatch), None),
              ("torch.autograd", vars(torch.autograd), None), ("builtins", vars(builtins), None),
              ("the grader's watch", vars(sys.modules[__name__]), None),
              ("the grader's call server", vars(child), None), ("the grader's wire format", vars(protocol), None)]
    for cls in (_FunctionMode, _DispatchMode, Window, ScratchGuard, _KitWork, TorchFunctionMode, TorchDispatchMode):
        spaces.append((f"the grader's watch ({cls.__name__})", cls.__dict__, None))
    return spaces


def _torch_own(value) -> bool:
    """Whether a value torch put in one of its namespaces is torch's own (torch patches itself as it
    imports lazily: torch._dynamo wraps torch.manual_seed)."""
    if isinstance(value, types.FunctionType):
        return value.__code__.co_filename.startswith(_TORCH_DIR)
    if isinstance(value, types.ModuleType):
        return value.__name__.split(".")[0] == "torch"
    module = getattr(type(value) if not isinstance(value, (type, types.BuiltinFunctionType)) else value,
                     "__module__", None) or ""
    return module.split(".")[0] == "torch"


def _os_threads() -> int:
    """Python threads alive besides this one. torch's own threads (OpenMP's, autograd's device
    threads) are native and not counted; a native thread of the student's needs ctypes, which
    the grader's reading flags."""
    return _thread_count() if _thread_count is not None else 0


def _other_processes() -> bool:
    """Another process alive in this process's own pid namespace: this process is its PID 1, so every
    process the submission started (and every orphan) is one of its children, read from /proc/self."""
    if os.getpid() != 1:
        return False
    try:
        for task in _listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                if f.read().split():
                    return True
    except OSError:
        return False
    return False


@functools.cache
def _public_names() -> dict:
    """id(object) -> the name students know it by (F.threshold is torch.nn.functional._threshold)."""
    found = {}
    for module in (torch.special, torch.linalg, torch.fft, torch.nn.functional, torch):
        for key, value in list(vars(module).items()):
            if not key.startswith("_") and callable(value):
                found[id(value)] = f"{module.__name__}.{key}"
    return found


def _display(func, name: str) -> str:
    return _public_names().get(id(func), name)


def _describe_frame(frame) -> str:
    """A torch routine (written in Python) that a student's call ran, by its public name."""
    code = frame.f_code
    qualname = getattr(code, "co_qualname", code.co_name)
    local = frame.f_locals
    owner = local.get(code.co_varnames[0]) if code.co_argcount else None
    if owner is None and code.co_flags & inspect.CO_VARARGS:  # a decorator's wrapper(*args, **kwargs)
        args = local.get(code.co_varnames[code.co_argcount + code.co_kwonlyargcount])
        owner = args[0] if isinstance(args, tuple) and args else None
    if owner is not None and not isinstance(owner, (type, _TB)) and \
            type(owner).__module__.startswith("torch"):
        cls = type(owner)
        return _shortest(cls, f"{cls.__module__}.{cls.__qualname__}")
    return _public(f"{_module_name(code.co_filename)}.{qualname}")


def _shortest(obj, dotted: str) -> str:
    """torch.optim.sgd.SGD as torch.optim.SGD: the shortest module path that holds the same object."""
    parts = dotted.split(".")
    for cut in range(1, len(parts) - 1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is not None and vars(module).get(parts[-1]) is obj:
            return ".".join(parts[:cut] + parts[-1:])
    return dotted


def _resolve_public(name: str):
    """The object a public name (Tensor.x, torch.x, torch.nn.functional.x) stands for, read with vars()."""
    head, _, attr = name.rpartition(".")
    owner = torch.Tensor if head == "Tensor" else sys.modules.get(head)
    if owner is None:
        return None
    for space in ([vars(c) for c in owner.__mro__] if isinstance(owner, type) else [vars(owner)]):
        if attr in space:
            value = space[attr]
            return getattr(value, "__func__", value)
    return None


@functools.cache
def _kit_codes() -> frozenset:
    from autograder.sandbox import pieces, protocol
    from autograder.sandbox.student_side import child, top_level
    return frozenset(_code_objects([vars(sys.modules[__name__]), vars(child), vars(protocol), vars(d2l_standin),
                                    vars(top_level), vars(pieces)]))


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


def _recording(original, name: str):
    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        window = current_window()
        if window is not None:
            window.record(name)
        return original(*args, **kwargs)

    wrapper._scratch_guard = True
    return wrapper


# ---------------------------------------------------------------------------------------------
# Tripwires: a call from outside torch (and this watch) while a graded call runs is tampering.
def _set_tripwires() -> None:
    """Wrap each switch and each thread or process start in a tripwire, once per process (a
    forked child keeps its template's)."""
    for module, names in _SWITCHES.items():
        for name in names:
            label = f"{getattr(module, '__module__', '')}.{module.__name__}" if isinstance(module, type) else module.__name__
            _wrap(module, name, "pushes" if name in _PUSHES else "switches", f"{label.lstrip('.')}.{name}")
    for module_name, names in _STARTERS.items():
        module = sys.modules.get(module_name) or importlib.import_module(module_name)
        for name in names:
            _wrap(module, name, "starts", f"{module_name}.{name}")
    for cls in _SCRIPTED:
        _wrap(cls, "__call__", "scripted", f"TorchScript ({cls.__name__})")


def _wrap(module, name: str, kind: str, label: str) -> None:
    original = getattr(module, name, None)
    if original is None or getattr(original, "_scratch_guard", False):
        return
    try:
        setattr(module, name, _tripwire(original, label, kind))
    except (TypeError, AttributeError):
        pass


def _tripwire(original, name: str, kind: str):
    def tripwire(*args, **kwargs):
        window = current_window()
        if window is not None and window.graded:
            caller = _getframe(1).f_code
            if kind == "starts":
                if window.allow is not None and caller not in _kit_codes():
                    window.tamper(f"{name}, another thread or process, whose work the grader's watch cannot see")
            elif kind == "scripted":
                if window.allow is not None:
                    window.tamper(f"{name}, compiled code whose calls the grader's watch cannot see")
            elif kind == "pushes":
                mode = args[0] if args else None
                if mode is not None and type(mode) not in (_FunctionMode, _DispatchMode) and \
                        not type(mode).__module__.startswith("torch") and caller not in _kit_codes():
                    window.tamper(f"a torch mode of its own ({type(mode).__qualname__}), put above the grader's "
                                  "watch")
            elif not caller.co_filename.startswith(_TORCH_DIR) and caller not in _kit_codes():
                window.tamper(f"{name}, which switches off or reaches the grader's from-scratch watch")
        return original(*args, **kwargs)

    tripwire._scratch_guard = True
    return tripwire


# ---------------------------------------------------------------------------------------------
class _KitWork:
    __slots__ = ("window",)

    def __init__(self, window: Window):
        self.window = window

    def __enter__(self):
        self.window.kit += 1

    def __exit__(self, *exc):
        self.window.kit -= 1


class _FunctionMode(TorchFunctionMode):
    def __init__(self, guard: ScratchGuard, window: Window):
        super().__init__()
        self.guard, self.window = guard, window

    def __torch_function__(self, func, types, args=(), kwargs=None):
        window = self.window
        if window.kit:
            return func(*args, **(kwargs or {}))
        caller = _getframe(1)
        if caller.f_code is _FUNCTION_HANDLER:  # a function that ignored the hop below: it is judged already
            return func(*args, **(kwargs or {}))
        if window.graded:
            self.guard.judge_call(window, func, types, caller, args)
        if _skip_one_hop is None:
            return func(*args, **(kwargs or {}))
        # torch takes this mode off its stack while it runs; put it back, so that the code torch
        # runs next (a hook, a custom backward, torch's own Python) is seen too.
        _push_function(self)
        try:
            return _skip_one_hop(func, types, args, kwargs or {})
        finally:
            _pop_function()


class _DispatchMode(TorchDispatchMode):
    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # Nothing here is compiled; the default wraps the mode so that its first use
        # imports torch._dynamo, which costs a second per student process.
        return False

    def __init__(self, guard: ScratchGuard, window: Window):
        super().__init__()
        self.guard, self.window = guard, window

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        window = self.window
        if window.graded and not window.kit:
            self.guard.judge_op(window, func, types)
        if _skip_one_hop is None:
            return func(*args, **(kwargs or {}))
        return _skip_one_hop(func, (), args, kwargs or {})  # past the function mode: it saw this call


_FUNCTION_HANDLER = _FunctionMode.__torch_function__.__code__


# ---------------------------------------------------------------------------------------------
# Packages that are not installed where grading runs: d2l (its solutions are recorded in a graded
# call; the rest works as the book expects, d2l_standin.py), and harmless ones such as matplotlib,
# which import as no-op stubs.
class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, packages: list[str], members: dict | None):
        self.members = members
        self.pattern = re.compile(r"^(%s)(\.|$)" % "|".join(map(re.escape, packages)))

    def find_spec(self, fullname, path, target=None):
        if self.pattern.match(fullname):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        if self.members is None:
            return _StubModule(spec.name)
        root = spec.name.split(".")[0]
        return d2l_standin.module(spec.name, frozenset(self.members.get(root, ())), _record_in_window)

    def exec_module(self, module):
        module.__path__ = []


def _record_in_window(name: str) -> bool:
    """Record a use of ``name`` in the current graded call; whether there was one."""
    window = current_window()
    if window is None or not window.graded:
        return False
    window.record(name)
    return True


class _StubModule(types.ModuleType):
    """An absent, harmless package: every attribute and call does nothing."""

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Nothing(f"{self.__name__}.{attr}")


class _Nothing:
    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Nothing(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        return _Nothing(f"{self._name}()")

    def __iter__(self):
        return iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# ---------------------------------------------------------------------------------------------
# The forbidden calls of a function without an allowlist: a configured name's last component,
# normalised, and the aten operators it ends in.
_LEAF_ALIASES = {
    "softmax": "softmax", "logsoftmax": "log_softmax", "log_softmax": "log_softmax",
    "crossentropyloss": "cross_entropy", "cross_entropy": "cross_entropy",
    "nllloss": "nll_loss", "nll_loss": "nll_loss", "mseloss": "mse_loss", "mse_loss": "mse_loss",
    "linear": "linear",
}
_ATEN_OPS = {
    "softmax": {"_softmax", "softmax", "_safe_softmax", "_masked_softmax", "_sparse_softmax"},
    "log_softmax": {"_log_softmax", "log_softmax", "_sparse_log_softmax"},
    "logsumexp": {"logsumexp"},
    "relu": {"relu", "relu_"},
    "sigmoid": {"sigmoid", "sigmoid_"},
    "huber_loss": {"huber_loss"},
    "smooth_l1_loss": {"smooth_l1_loss"},
    "cross_entropy": {"_log_softmax", "nll_loss_forward", "nll_loss2d_forward", "cross_entropy_loss"},
    "nll_loss": {"nll_loss_forward", "nll_loss2d_forward", "nll_loss_nd"},
    "mse_loss": {"mse_loss"},
    "inverse": {"linalg_inv_ex"},
    "linalg_inv": {"linalg_inv_ex"},
    "linalg_inv_ex": {"linalg_inv_ex"},
    "linalg_pinv": {"linalg_pinv"},
    "linalg_lstsq": {"linalg_lstsq"},
    "linalg_solve": {"_linalg_solve_ex", "linalg_solve"},
}


def _leaf(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    if name.startswith("torch.linalg."):
        return f"linalg_{last}"  # how torch names these functions (torch.linalg.inv is linalg_inv)
    return _LEAF_ALIASES.get(last.lower(), last)


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
