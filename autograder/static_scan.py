"""The grader's own reading of a submission, before it runs: forbidden APIs and tampering tools.

The run-time watch lives in the student's process, so the student's code could switch it off or
make it lie. This pass reads the source on the grader's side (its syntax tree), where nothing the
student writes can reach it. It names, per top-level function, what the function uses:

* a ready-made API that grading.toml forbids (``F.mse_loss`` after ``import torch.nn.functional
  as F``, ``from torch.optim import SGD``), however it was imported or renamed;
* a tool that can switch off or fool the grader's watch: ``sys.modules``, frames (``sys._getframe``,
  ``inspect``, ``f_back``), closures and code objects (``__closure__``, ``__globals__``, ``__code__``),
  ``gc``, ``ctypes``, ``torch._C``, ``torch.ops``, torch's mode stacks
  (``_python_dispatch``, ``torch.overrides``), ``importlib``, ``builtins``, the ``autograder`` package,
  and code hidden from this reading (``eval``, ``exec``, ``compile``, ``__import__``);
* work the watch cannot see: other threads and processes (``threading``, ``multiprocessing``,
  ``os.fork``, ``subprocess``), a tensor subclass's ``__torch_function__``/``__torch_dispatch__``
  (which run when the grader reads the result), and a new ``__class__`` for an object;
* a module's names reached at run time (``vars(torch)``, ``torch.__dict__``, ``getattr(torch, name)``
  with a computed name), which this reading cannot follow; ``getattr(torch, "_C")`` is read as ``torch._C``.

A tampering tool used at the top level of the file, outside any function, counts against every
function. A ready-made API used there counts against the functions that use what it made
(``_loss = nn.MSELoss()`` at the top, ``_loss(...)`` in squared_loss); elsewhere at the top level
(the book's training loop pasted below the functions) it is not a graded function's doing.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_D2L_FRAMEWORK = re.compile(r"^d2l\.(torch|mxnet|tensorflow|jax)(?=\.|$)")

TAMPERING_MODULES = {
    "gc": "the garbage collector (gc), which can reach the grader's objects",
    "ctypes": "ctypes, which can patch the interpreter's memory",
    "_ctypes": "ctypes, which can patch the interpreter's memory",
    "cffi": "cffi, which can patch the interpreter's memory",
    "inspect": "inspect, which can reach the grader's frames",
    "importlib": "importlib, which can replace the grader's modules",
    "autograder": "the grader's own package",
    "torch._C": "torch._C, torch's private core, which can switch off the grader's watch",
    "torch.ops": "torch.ops, torch's raw operators, which bypass the from-scratch watch",
    "torch.utils._python_dispatch": "torch's dispatch-mode stack, which holds the grader's watch",
    "torch.overrides": "torch's function-mode stack, which holds the grader's watch",
    "torch._dynamo": "torch._dynamo, which can compile the grader's watch away",
    "builtins": "the builtins module, which can replace what the grader's code calls",
}
OUT_OF_SIGHT = {
    # Other threads and processes: the grader's watch follows the calling thread only. Flagged where
    # used, not where imported, so that their harmless corners (below) stay usable.
    "threading": "threads (threading), whose work the grader's watch cannot see",
    "_thread": "threads (_thread), whose work the grader's watch cannot see",
    "concurrent.futures": "thread and process pools (concurrent.futures), whose work the grader's watch cannot see",
    "multiprocessing": "other processes (multiprocessing), whose work the grader's watch cannot see",
    "torch.multiprocessing": "other processes (torch.multiprocessing), whose work the grader's watch cannot see",
    "subprocess": "other processes (subprocess), whose work the grader's watch cannot see",
    "pty": "other processes (pty), whose work the grader's watch cannot see",
}
HARMLESS_CORNERS = ("multiprocessing.cpu_count", "multiprocessing.current_process", "torch.multiprocessing.cpu_count",
                    "threading.current_thread", "threading.main_thread", "threading.get_ident",
                    "threading.get_native_id", "threading.active_count", "threading.Lock", "threading.RLock")
"""Names in those modules that start nothing: `num_workers=multiprocessing.cpu_count()` is honest."""
HIDDEN_CODE = {"eval": "eval(), code the grader cannot read", "exec": "exec(), code the grader cannot read",
               "compile": "compile(), code the grader cannot read", "__import__": "__import__, an import the grader "
               "cannot read", "__builtins__": "__builtins__, which can replace what the grader's code calls"}
TAMPERING_ATTRIBUTES = {
    "_getframe": "sys._getframe, which reaches the grader's frames",
    "f_back": "a frame's caller (f_back), which reaches the grader's frames",
    "f_locals": "a frame's variables (f_locals)",
    "f_globals": "a frame's globals (f_globals)",
    "tb_frame": "a traceback's frames (tb_frame)",
    "gi_frame": "a generator's frame (gi_frame)",
    "__subclasses__": "__subclasses__, which reaches the grader's classes",
    "_disable_current_modes": "_disable_current_modes, which switches off the grader's watch",
    "DisableTorchFunction": "DisableTorchFunction, which switches off the grader's watch",
    "DisableTorchFunctionSubclass": "DisableTorchFunctionSubclass, which switches off the grader's watch",
    "_python_dispatch": "torch's dispatch-mode stack, which holds the grader's watch",
    "settrace": "sys.settrace, which can rewrite the grader's frames",
    "setprofile": "sys.setprofile, which can watch the grader's calls",
    "__closure__": "a function's closure (__closure__), which reaches the grader's objects",
    "cell_contents": "a closure cell's contents (cell_contents), which reach the grader's objects",
    "__globals__": "a function's globals (__globals__), which reach the grader's modules",
    "__code__": "a function's code object (__code__), which can pass for the grader's or torch's own code",
    "__torch_function__": "a tensor subclass's __torch_function__, which runs torch calls after the grader's watch",
    "__torch_dispatch__": "a tensor subclass's __torch_dispatch__, which runs torch calls after the grader's watch",
}
CLASS_SWAP = "a new class for an object (__class__), which changes what the grader reads back"
RUN_TIME_NAMES = ("a module's names reached at run time (vars, __dict__, getattr with a computed name), "
                  "which the grader's reading cannot follow")
_PROCESS_STARTERS = ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system", "popen", "spawnl", "spawnle",
                     "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe")
TAMPERING_DOTTED = {"sys.modules": "sys.modules, which can replace the grader's modules",
                    "builtins.__import__": "__import__",
                    "torch.cuda.set_per_process_memory_fraction": "the GPU memory cap, which the grader sets",
                    "torch.cuda.memory.set_per_process_memory_fraction": "the GPU memory cap, which the grader sets",
                    "torch.cuda.memory._set_allocator_settings": "the GPU allocator, which the grader sets",
                    **{f"os.{name}": f"another process (os.{name}), whose work the grader's watch cannot see"
                       for name in _PROCESS_STARTERS}}


@dataclass(frozen=True)
class Finding:
    function: str
    """The top-level function it is in ("<module>" for the top level of the file)."""
    what: str
    """The API or tool, as the message to the student names it."""
    line: int
    forbidden_api: bool
    """A ready-made API from grading.toml (else: a tampering tool)."""


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _matches(name: str, prefixes) -> str | None:
    for prefix in prefixes:
        if name == prefix or name.startswith(prefix + "."):
            return prefix
    return None


class _Reader(ast.NodeVisitor):
    def __init__(self, forbidden: list[str]):
        self.forbidden = list(forbidden)
        self.tensor_methods = {f.rsplit(".", 1)[1]: f for f in forbidden if f.startswith("torch.Tensor.")}
        self.aliases: dict[str, str] = {}
        self.made_by: dict[str, str] = {}
        """A top-level name bound to what a forbidden API made -> that API."""
        self.function = "<module>"
        self.findings: list[Finding] = []
        self.defined: set[str] = set()
        """Classes and functions the file defines: `Ops.softmax(X)` on one is not Tensor.softmax."""

    def _note(self, what: str, line: int, forbidden_api: bool) -> None:
        self.findings.append(Finding(self.function, what, line, forbidden_api))

    def _resolve(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        base = self.aliases.get(head, head)
        return f"{base}.{rest}" if rest else base

    def _check_name(self, full: str, line: int) -> None:
        full = _D2L_FRAMEWORK.sub("d2l", full)  # `from d2l import torch as d2l`: d2l.torch.linreg is d2l.linreg
        forbidden = _matches(full, self.forbidden)
        if forbidden:
            self._note(forbidden, line, True)
            return
        tampering = _matches(full, TAMPERING_MODULES)
        dotted = _matches(full, TAMPERING_DOTTED)
        out_of_sight = None if _matches(full, HARMLESS_CORNERS) else _matches(full, OUT_OF_SIGHT)
        if tampering:
            self._note(TAMPERING_MODULES[tampering], line, False)
        elif dotted:
            self._note(TAMPERING_DOTTED[dotted], line, False)
        elif out_of_sight:
            self._note(OUT_OF_SIGHT[out_of_sight], line, False)

    # -- scopes ----------------------------------------------------------------------------
    def visit_FunctionDef(self, node):
        if node.name in TAMPERING_ATTRIBUTES:  # def __torch_function__(cls, ...) in a tensor subclass
            self._note(TAMPERING_ATTRIBUTES[node.name], node.lineno, False)
        if self.function == "<module>":
            self.function = node.name
            self.generic_visit(node)
            self.function = "<module>"
        else:
            self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node):
        before = len(self.findings)
        self.generic_visit(node)
        if self.function != "<module>":
            return
        made = [f for f in self.findings[before:] if f.forbidden_api]
        if made:
            self.findings[before:] = [f for f in self.findings[before:] if not f.forbidden_api]
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        self.made_by[name.id] = made[0].what

    def visit_ClassDef(self, node):
        self.generic_visit(node)  # a class's methods count against the top level

    # -- imports ---------------------------------------------------------------------------
    # An import binds a name; only its uses count (importing torch.optim and never using it is fine).
    def visit_Import(self, node):
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.aliases[bound] = alias.name if alias.asname else alias.name.split(".")[0]
            if self.function != "<module>" and _matches(alias.name, TAMPERING_MODULES):
                self._check_name(alias.name, node.lineno)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        for alias in node.names:
            full = f"{module}.{alias.name}" if module else alias.name
            self.aliases[alias.asname or alias.name] = full
            if self.function != "<module>" and _matches(full, TAMPERING_MODULES):
                self._check_name(full, node.lineno)

    # -- uses ------------------------------------------------------------------------------
    def visit_Attribute(self, node):
        dotted = _dotted(node)
        before = len(self.findings)
        if dotted is not None:
            self._check_name(self._resolve(dotted), node.lineno)
        # A dotted chain is read here whole (its inner nodes are not visited): f.__code__.replace counts.
        attrs = dotted.split(".")[1:] if dotted is not None else [node.attr]
        tampering = next((a for a in attrs if a in TAMPERING_ATTRIBUTES), None)
        if node.attr == "__class__" and isinstance(node.ctx, ast.Store):
            self._note(CLASS_SWAP, node.lineno, False)
        elif node.attr == "__dict__" and self._is_imported(node.value):
            self._note(RUN_TIME_NAMES, node.lineno, False)
        if tampering is not None:
            self._note(TAMPERING_ATTRIBUTES[tampering], node.lineno, False)
        elif (len(self.findings) == before and node.attr in self.tensor_methods
              and getattr(node, "parent_call", None) is not None and not self._names_no_tensor(node.value)):
            self._note(self.tensor_methods[node.attr], node.lineno, True)  # x.softmax(dim=1)
        if dotted is None:
            self.generic_visit(node)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Attribute):
            node.func.parent_call = node
        builtin = node.func.id if isinstance(node.func, ast.Name) and node.func.id not in self.aliases else None
        if builtin in HIDDEN_CODE:
            self._note(HIDDEN_CODE[builtin], node.lineno, False)
        elif builtin in ("getattr", "hasattr") and len(node.args) >= 2 and self._is_imported(node.args[0]):
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                # getattr(torch, "_C") is torch._C
                self._check_name(f"{self._resolve(_dotted(node.args[0]))}.{name.value}", node.lineno)
                if name.value in TAMPERING_ATTRIBUTES:
                    self._note(TAMPERING_ATTRIBUTES[name.value], node.lineno, False)
            else:
                self._note(RUN_TIME_NAMES, node.lineno, False)
        elif builtin == "vars" and node.args and self._is_imported(node.args[0]):
            self._note(RUN_TIME_NAMES, node.lineno, False)
        if any(isinstance(a, ast.Constant) and a.value == "__class__" for a in node.args):
            self._note(CLASS_SWAP, node.lineno, False)  # setattr(p, "__class__", Cheat)
        self.generic_visit(node)

    def _names_no_tensor(self, node: ast.AST) -> bool:
        """Whether a method's receiver is surely not a tensor: a class or function of the file's own,
        ``self`` or ``cls``, or an imported module (whose forbidden names are read as such)."""
        head = (_dotted(node) or "").split(".")[0]
        return head in self.defined or head in ("self", "cls") or head in self.aliases

    def _is_imported(self, node: ast.AST) -> bool:
        """Whether ``node`` is a name an import bound, or an attribute of one (torch, torch.nn)."""
        dotted = _dotted(node)
        return dotted is not None and dotted.split(".")[0] in self.aliases

    def visit_Name(self, node):
        if node.id == "__builtins__":
            self._note(HIDDEN_CODE["__builtins__"], node.lineno, False)
        if node.id in self.aliases and isinstance(node.ctx, ast.Load):
            self._check_name(self.aliases[node.id], node.lineno)
        if node.id in self.made_by and isinstance(node.ctx, ast.Load) and self.function != "<module>":
            self._note(self.made_by[node.id], node.lineno, True)


def scan(source: str | bytes, forbidden: list[str], cells=None) -> list[Finding]:
    """Every forbidden API and tampering tool the source uses, with the function it is in.

    ``cells``: a notebook's code cells as (first line, source), read in order with the names
    they import carried from cell to cell; a cell that does not parse is skipped, as a file that
    does not parse is (its syntax error is reported elsewhere)."""
    reader = _Reader(list(forbidden))
    for start, text in (cells if cells is not None else [(1, source)]):
        try:
            padded = ("\n" * (start - 1) + text) if isinstance(text, str) else text
            tree = ast.parse(padded)
        except (SyntaxError, ValueError):
            continue
        reader.defined |= {node.name for node in ast.walk(tree)
                           if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))}
        reader.visit(tree)
    # A ready-made API used at the top level, not bound to a name a function uses, is nobody's.
    reader.findings = [f for f in reader.findings if not (f.forbidden_api and f.function == "<module>")]
    seen, unique = set(), []
    for finding in reader.findings:
        key = (finding.function, finding.what)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def signatures(source: str | bytes, cells=None) -> dict[str, list[str]]:
    """The parameter names of each top-level function (the last definition wins, as at run time)."""
    found: dict[str, list[str]] = {}
    for start, text in (cells if cells is not None else [(1, source)]):
        try:
            tree = ast.parse(("\n" * (start - 1) + text) if isinstance(text, str) else text)
        except (SyntaxError, ValueError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                names = [a.arg for a in args.posonlyargs + args.args]
                if args.vararg:
                    names.append("*" + args.vararg.arg)
                found[node.name] = names
    return found


def signature_hints(submission: dict[str, list[str]], contract: dict[str, list[str]]) -> dict[str, str]:
    """For each contract function the student defined with other parameters: a hint to keep the
    stub's signature (the grader calls it positionally, as the stub says)."""
    hints = {}
    for name, wanted in contract.items():
        got = submission.get(name)
        if got is not None and got != wanted and not any(g.startswith("*") for g in got):
            hints[name] = (f"Your {name}({', '.join(got)}) does not take the stub's parameters "
                           f"{name}({', '.join(wanted)}): the grader calls it as the stub says, so keep the "
                           "stub's signature.")
    return hints
