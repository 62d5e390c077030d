"""The grader's own reading of a submission, before it runs: the tools that reach into the grader.

What a graded function computes with is judged at run time, by what it runs (the from-scratch
watch, autograder/operators.py). A few tools let code reach around that watch from inside the
student's process, and only the source shows them: frames (``sys._getframe``, ``f_back``,
``inspect.stack``), the garbage collector's object graph (``gc.get_objects``, ``get_referrers``),
a function's closure, globals or code object (``__closure__``, ``__globals__``, ``__code__``),
``__subclasses__``, native code (``ctypes``, ``cffi``), tracing (``sys.settrace``), code the reading
cannot see (``eval``, ``exec``, ``compile``, ``__import__``, ``importlib``), writes to ``sys.modules``
or ``builtins``, and the grader's own package.

The reading resolves each name with its scope (a local named ``gc`` is not the module, a parameter
named ``loss`` is not a top-level ``loss``), and counts a use against a graded function only where
that function can reach it: its own body, and the helpers, classes and top-level lambdas it refers
to, transitively. Code at the top level of the file counts against every function only for the
tools that can leave a hold on the grader behind (frames, the object graph, closures, native code,
tracing, writes to sys.modules or builtins). In a top-level assignment's value, what a tool gives
is held by the name bound and charged to the functions that use it (``peek = sys._getframe``,
``here = inspect.currentframe()``), except a call of native code, tracing or a module write, which
acts beyond its value (``segment = ctypes.CDLL(None).shmget(...)``) and counts against all;
anything else the top level does is judged at run time, by what it leaves behind. Reading is not writing: ``sys.modules[__name__]``, ``"x" in sys.modules``,
``gc.collect()`` and ``getattr(torch, name)`` are fine. Code under ``if __name__ == "__main__":``
never runs when graded, so it is not read. The walk is iterative: no expression is too deep for it.
"""
from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass, field

from autograder.sandbox.pieces import of_script

FRAMES = "frames ({what}), which reach the grader's own frames and variables"
OBJECT_GRAPH = "the garbage collector's object graph ({what}), which reaches the grader's objects"
INTERNALS = "a function's internals ({what}), which reach the grader's objects or pass for torch's own code"
NATIVE = "native code ({what}), which can change the interpreter's memory"
TRACING = "tracing ({what}), which can watch and rewrite the grader's calls"
HIDDEN = "code the grader cannot read ({what})"
MODULE_WRITE = "a write to {what}, which can replace what the grader's code uses"
THE_KIT = "the grader's own package ({what})"

# Dotted names (module paths) and what each is.
_TOOLS = {
    "sys._getframe": FRAMES, "sys._current_frames": FRAMES, "inspect.currentframe": FRAMES,
    "inspect.stack": FRAMES, "inspect.trace": FRAMES, "inspect.getouterframes": FRAMES,
    "inspect.getinnerframes": FRAMES, "inspect.getframeinfo": FRAMES, "traceback.walk_stack": FRAMES,
    "gc.get_objects": OBJECT_GRAPH, "gc.get_referrers": OBJECT_GRAPH, "gc.get_referents": OBJECT_GRAPH,
    "gc.callbacks": OBJECT_GRAPH,
    "types.FunctionType": INTERNALS, "types.CodeType": INTERNALS, "types.CellType": INTERNALS,
    "ctypes": NATIVE, "_ctypes": NATIVE, "cffi": NATIVE,
    "sys.settrace": TRACING, "sys.setprofile": TRACING, "sys.monitoring": TRACING,
    "threading.settrace": TRACING, "threading.setprofile": TRACING, "threading.settrace_all_threads": TRACING,
    "threading.setprofile_all_threads": TRACING,
    "importlib.import_module": HIDDEN, "importlib.reload": HIDDEN, "importlib.__import__": HIDDEN,
    "importlib.util": HIDDEN, "importlib.machinery": HIDDEN, "runpy": HIDDEN, "builtins.eval": HIDDEN,
    "torch.jit": HIDDEN, "torch.compile": HIDDEN, "torch._dynamo": HIDDEN, "pickle.loads": HIDDEN,
    "marshal": HIDDEN,
    "builtins.exec": HIDDEN, "builtins.compile": HIDDEN, "builtins.__import__": HIDDEN,
    "autograder": THE_KIT,
}
_ATTRIBUTES = {
    "f_back": FRAMES, "f_locals": FRAMES, "f_globals": FRAMES, "f_code": FRAMES, "tb_frame": FRAMES,
    "gi_frame": FRAMES, "cr_frame": FRAMES, "ag_frame": FRAMES,
    "__closure__": INTERNALS, "cell_contents": INTERNALS, "__globals__": INTERNALS, "__code__": INTERNALS,
    "__subclasses__": INTERNALS, "__builtins__": MODULE_WRITE,
}
_BUILTINS = {"eval": HIDDEN, "exec": HIDDEN, "compile": HIDDEN, "__import__": HIDDEN, "__builtins__": MODULE_WRITE}
_WRITERS = ("update", "pop", "popitem", "setdefault", "clear", "__setitem__", "__delitem__")
"""Methods of sys.modules that change it (reading it is fine)."""
_IMPORT_TIME_TOOLS = (FRAMES, OBJECT_GRAPH, INTERNALS, NATIVE, TRACING, MODULE_WRITE, THE_KIT)
"""What counts at the top level of the file: tools that can leave a hold on the grader behind."""
_SIDE_EFFECTS = (NATIVE, TRACING, MODULE_WRITE)
"""Tools whose call acts beyond the value it gives (memory written, a trace set, a module replaced):
called at the top level, even in an assignment's value, they count against every function."""


@dataclass(frozen=True)
class Finding:
    function: str
    """The graded function it counts against ("<module>" for the top level of the file)."""
    what: str
    """The tool, as the message to the student names it."""
    line: int


@dataclass(frozen=True)
class Reading:
    """What the reading found, per graded function."""

    findings: tuple[Finding, ...] = ()
    unreadable: str | None = None
    """Why the source could not be read (then only the run time judges it)."""


# -------------------------------------------------------------------------------------------------
# Scopes: what each name in each function means, by Python's own rules (LEGB, global, nonlocal).
@dataclass(eq=False)
class _Scope:
    kind: str
    """module, function, class or comprehension."""
    parent: "_Scope | None"
    node: ast.AST | None = None
    bindings: dict = field(default_factory=dict)
    """name -> list of what bound it: ("import", path), ("alias", expr, scope), ("def", node), ("other",)."""
    declared_global: set = field(default_factory=set)
    declared_nonlocal: set = field(default_factory=set)
    star_imports: list = field(default_factory=list)

    def bind(self, name: str, how: tuple) -> None:
        target = self
        if name in self.declared_global:
            target = self.module
        elif name in self.declared_nonlocal:
            target = self._enclosing_function(name) or self
        target.bindings.setdefault(name, []).append(how)

    @property
    def module(self) -> "_Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def _enclosing_function(self, name: str):
        scope = self.parent
        while scope is not None and scope.kind != "module":
            if scope.kind == "function" and name in scope.bindings:
                return scope
            scope = scope.parent
        return None

    def resolve(self, name: str) -> tuple["_Scope | None", str]:
        """The scope whose binding ``name`` refers to here (None: a builtin)."""
        if name in self.declared_global:
            scope = self.module
            return (scope, name) if name in scope.bindings else (None, name)
        if name in self.bindings:
            return self, name
        scope = self.parent
        while scope is not None:
            if scope.kind == "module":
                return (scope, name) if name in scope.bindings else (None, name)
            if scope.kind != "class" and name in scope.bindings and name not in scope.declared_global:
                return scope, name
            scope = scope.parent
        return None, name


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _is_main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":``, whose body never runs when the file is imported."""
    test = getattr(node, "test", None) if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq) and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == "__main__")


class _Index:
    """Every node of the module with its scope, the bindings of every scope, and the top-level
    definitions (for what a graded function can reach)."""

    def __init__(self, body: list[ast.stmt]):
        self.module = _Scope("module", None)
        self.scope_of: dict[int, _Scope] = {}
        """id(node) -> the scope its names are resolved in."""
        self.scope_made: dict[int, _Scope] = {}
        """id(function, class or comprehension node) -> the scope of its body."""
        self.nodes: list[ast.AST] = []
        self.owner: dict[int, ast.AST | None] = {}
        """id(node) -> the top-level statement it is in."""
        self.import_time: set[int] = set()
        """ids of the nodes that run when the file is imported (not inside a function's body)."""
        self.assigned: set[int] = set()
        """ids of the nodes inside the value of a top-level assignment to plain names."""
        self.called: set[int] = set()
        """ids of the nodes that name what a call calls (``ctypes.CDLL`` in ``ctypes.CDLL(None)``)."""
        self.inner: set[int] = set()
        """ids of nodes read as part of a larger one: the inner links of a dotted name (``sys`` in
        ``sys._getframe``), and what isinstance/issubclass are given (a type test is not a use)."""
        self._walk(body)

    def _walk(self, body: list[ast.stmt]) -> None:
        # (node, scope, top-level statement, runs at import)
        todo = deque((stmt, self.module, stmt, True) for stmt in body if not _is_main_guard(stmt))
        while todo:
            node, scope, top, at_import = todo.popleft()
            self.nodes.append(node)
            self.scope_of[id(node)] = scope
            self.owner[id(node)] = top
            if at_import:
                self.import_time.add(id(node))
            self._declare(node, scope)
            if scope is self.module and isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                    and all(isinstance(t, ast.Name) for t in (node.targets if isinstance(node, ast.Assign)
                                                               else [node.target])):
                self.assigned.update(id(n) for n in ast.walk(node.value))
            if isinstance(node, ast.Call):
                self.called.update(id(n) for n in ast.walk(node.func))
            if isinstance(node, ast.Attribute):
                self.inner.add(id(node.value))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("isinstance", "issubclass"):
                    self.inner.update(id(n) for arg in node.args[1:] for n in ast.walk(arg))
                elif node.func.id == "getattr" and node.args:
                    self.inner.update(id(n) for n in ast.walk(node.args[0]))
            for child, child_scope, child_at_import in self._children(node, scope, at_import):
                todo.append((child, child_scope, top, child_at_import))

    def _children(self, node: ast.AST, scope: _Scope, at_import: bool):
        if isinstance(node, _FUNCTIONS):
            inner = _Scope("function", scope, node)
            self.scope_made[id(node)] = inner
            args = node.args
            outer = [*getattr(node, "decorator_list", []), *args.defaults, *(d for d in args.kw_defaults if d)]
            if not isinstance(node, ast.Lambda) and node.returns is not None:
                outer.append(node.returns)
            for child in outer:
                yield child, scope, at_import
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if arg is not None:
                    inner.bind(arg.arg, ("other",))
            for child in (node.body if isinstance(node.body, list) else [node.body]):
                yield child, inner, False
            return
        if isinstance(node, ast.ClassDef):
            inner = _Scope("class", scope, node)
            self.scope_made[id(node)] = inner
            for child in [*node.decorator_list, *node.bases, *node.keywords]:
                yield child, scope, at_import
            for child in node.body:
                yield child, inner, at_import
            return
        if isinstance(node, _COMPREHENSIONS):
            inner = _Scope("comprehension", scope, node)
            self.scope_made[id(node)] = inner
            for i, gen in enumerate(node.generators):
                yield gen.iter, (scope if i == 0 else inner), at_import
                yield gen.target, inner, at_import
                for cond in gen.ifs:
                    yield cond, inner, at_import
            for child in ((node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,)):
                yield child, inner, at_import
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(node, ast.Module) or not _is_main_guard(child):
                yield child, scope, at_import

    def _declare(self, node: ast.AST, scope: _Scope) -> None:
        if isinstance(node, ast.Global):
            scope.declared_global.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            scope.declared_nonlocal.update(node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.bind(node.name, ("def", node))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.bind(alias.asname, ("import", alias.name))
                else:
                    head = alias.name.split(".")[0]
                    scope.bind(head, ("import", head))
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    scope.star_imports.append(module)
                else:
                    scope.bind(alias.asname or alias.name, ("import", f"{module}.{alias.name}" if module else alias.name))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind_target(target, scope, node.value)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            self._bind_target(node.target, scope, node.value if isinstance(node, ast.AnnAssign) else None)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            self._bind_target(node.target, scope, None)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, scope, None)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.bind(node.name, ("other",))
        elif isinstance(node, ast.NamedExpr):
            owner = scope
            while owner.kind == "comprehension" and owner.parent is not None:
                owner = owner.parent
            self._bind_target(node.target, owner, node.value)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self._bind_target(target, scope, None)
        elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
            scope.bind(node.name, ("other",))
        elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
            scope.bind(node.rest, ("other",))

    @staticmethod
    def _bind_target(target: ast.AST, scope: _Scope, value) -> None:
        if isinstance(target, ast.Name):
            plain = value is not None and isinstance(value, (ast.Name, ast.Attribute))
            scope.bind(target.id, ("alias", value, scope) if plain else ("value", value, scope))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                _Index._bind_target(element.value if isinstance(element, ast.Starred) else element, scope, None)

    def binds_only(self, node: ast.AST, kind: str) -> bool:
        """Inside the value of a top-level assignment, where what the tool gives is held by the name
        bound (charged to the functions that use it): not a call of a tool whose effect goes beyond
        its value (native code run, a trace set, a module written)."""
        return id(node) in self.assigned and not (id(node) in self.called and kind in _SIDE_EFFECTS)

    # -- meanings ---------------------------------------------------------------------------
    def path_of(self, node: ast.AST, scope: _Scope, depth: int = 0) -> str | None:
        """The module path a name or dotted attribute stands for (``F.mse_loss`` after ``import
        torch.nn.functional as F`` is torch.nn.functional.mse_loss; ``eval`` is builtins.eval), or None
        for anything that is not a module's name (a local, a parameter, a computed value)."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, str):
            parts.append(node.args[1].value)  # getattr(sys, "_getframe") is sys._getframe
            node = node.args[0]
            while isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self._name_path(node.id, scope, depth)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def _name_path(self, name: str, scope: _Scope, depth: int) -> str | None:
        owner, _ = scope.resolve(name)
        if owner is None:
            stars = scope.module.star_imports
            return f"{stars[0]}.{name}" if stars and name not in _BUILTINS else f"builtins.{name}"
        paths = set()
        for how in owner.bindings[name]:
            if how[0] == "import":
                paths.add(how[1])
            elif how[0] == "alias" and depth < 8:
                paths.add(self.path_of(how[1], how[2], depth + 1))
            else:
                paths.add(None)
        if len(paths) == 1:
            return paths.pop()
        return None  # bound to a module and to something else: not read as the module

    def top_level_defs(self, name: str) -> list[ast.AST]:
        """What a module-level name is bound to, where that is code: functions, classes, and the value
        of an assignment (a lambda, a functools.partial, an instance of the file's own class)."""
        found = []
        for how in self.module.bindings.get(name, ()):
            if how[0] == "def":
                found.append(how[1])
            elif how[0] in ("alias", "value") and how[1] is not None and how[2] is self.module:
                found.append(how[1])
        return found


# -------------------------------------------------------------------------------------------------
def _tool_at(index: _Index, node: ast.AST) -> tuple[str, str] | None:
    """(the kind of tool, its name) if ``node`` uses one of the tools this reading names."""
    if id(node) in index.inner:
        return None
    scope = index.scope_of[id(node)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
        found = _tool_of_path(index.path_of(node, scope), node)
        if found is not None:
            return found
    if isinstance(node, ast.Attribute):
        if node.attr in _ATTRIBUTES:
            return _ATTRIBUTES[node.attr], node.attr
        path = index.path_of(node, scope)
        return _tool_of_path(path, node)
    if isinstance(node, ast.Name):
        if node.id == "__builtins__":
            return MODULE_WRITE, "__builtins__"
        if isinstance(node.ctx, ast.Load):
            path = index.path_of(node, scope)
            return _tool_of_path(path, node)
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and index.path_of(node.func, scope) in (
            "builtins.getattr", "builtins.setattr", "builtins.delattr", "builtins.hasattr"):
        if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value in _ATTRIBUTES:
            return _ATTRIBUTES[node.args[1].value], node.args[1].value
        if node.func.id in ("setattr", "delattr") and node.args and \
                index.path_of(node.args[0], scope) in ("builtins", "sys.modules"):
            return MODULE_WRITE, index.path_of(node.args[0], scope)
    if isinstance(node, (ast.Subscript,)) and isinstance(node.ctx, (ast.Store, ast.Del)):
        if index.path_of(node.value, scope) == "sys.modules":
            return MODULE_WRITE, "sys.modules"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _WRITERS:
        if index.path_of(node.func.value, scope) == "sys.modules":
            return MODULE_WRITE, "sys.modules"
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
        for target in (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]):
            if isinstance(target, ast.Attribute) and index.path_of(target.value, scope) in ("builtins", "sys"):
                return MODULE_WRITE, f"{index.path_of(target.value, scope)}.{target.attr}"
    if isinstance(node, (ast.Import, ast.ImportFrom)) and index.scope_of[id(node)] is not index.module:
        # An import inside code a graded function reaches; at the top level, an import only binds a name,
        # judged where it is used.
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        for name in names:
            for prefix in ("autograder", "ctypes", "_ctypes", "cffi"):
                if name == prefix or name.startswith(prefix + "."):
                    return (THE_KIT if prefix == "autograder" else NATIVE), name
    return None


def _tool_of_path(path: str | None, node: ast.AST) -> tuple[str, str] | None:
    if path is None:
        return None
    for prefix, kind in _TOOLS.items():
        if path == prefix or path.startswith(prefix + "."):
            return kind, path.removeprefix("builtins.")
    return None


def _reachable(index: _Index, start: ast.AST) -> list[ast.AST]:
    """``start`` and the top-level code it can reach: the functions, classes and module-level values
    its names refer to, transitively (a class brings all its methods)."""
    seen: dict[int, ast.AST] = {id(start): start}
    todo = deque([start])
    while todo:
        root = todo.popleft()
        for node in ast.walk(root):
            if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
                continue
            owner, _ = index.scope_of.get(id(node), index.module).resolve(node.id) \
                if id(node) in index.scope_of else (None, None)
            if owner is not index.module:
                continue
            for target in index.top_level_defs(node.id):
                if id(target) not in seen:
                    seen[id(target)] = target
                    todo.append(target)
    return list(seen.values())


def read(source: str | bytes, functions, cells=None) -> Reading:
    """The tools each graded function in ``functions`` can reach, and those of the file's top level.

    ``cells``: a notebook's code cells as (first line, source), read as one module in order; a cell
    that does not parse is left out, as its syntax error is reported elsewhere."""
    body, problems = [], []
    if cells is None:  # a .py: its top-level statements, each block on its own where the whole does not parse
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        for piece in of_script(text):
            if piece.tree is None:
                problems.append(f"it does not parse ({piece.error})")
            else:
                body.extend(piece.tree.body)
    for start, text in (cells or []):
        tree, problem = _parse(text, start)
        if tree is None:
            problems.append(problem)
            continue
        body.extend(tree.body)
    if not body and problems:
        return Reading((), problems[0])
    index = _Index(body)
    found: dict[tuple, Finding] = {}

    def note(function: str, node: ast.AST, tool) -> None:
        kind, name = tool
        what = kind.format(what=name)
        found.setdefault((function, what), Finding(function, what, getattr(node, "lineno", 0)))

    functions = set(functions)
    for name in sorted(functions):
        for definition in index.top_level_defs(name):
            for code in _reachable(index, definition):
                for node in ast.walk(code):
                    if id(node) not in index.scope_of:
                        continue
                    tool = _tool_at(index, node)
                    if tool is not None:
                        note(name, node, tool)
    for node in index.nodes:
        # What an assignment at the top level binds is charged to the functions that use the name (they
        # reach its value, above); a tool used in any other top-level statement, or called for its side
        # effect even in an assignment, can leave a hold behind that no name shows (a trace function, a
        # patched object, memory written through ctypes): it counts against all.
        if id(node) in index.import_time:
            tool = _tool_at(index, node)
            if tool is not None and tool[0] in _IMPORT_TIME_TOOLS and not index.binds_only(node, tool[0]):
                note("<module>", node, tool)
    return Reading(tuple(found.values()), problems[0] if problems else None)


def _parse(text: str | bytes, start: int = 1):
    """The syntax tree with its lines numbered from ``start`` (a notebook cell's place), or (None, why)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        return None, f"it does not parse ({exc})"
    except (RecursionError, MemoryError):
        return None, "it is nested too deeply to read"
    if start > 1:
        ast.increment_lineno(tree, start - 1)
    return tree, None


def signatures(source: str | bytes, cells=None) -> dict[str, list[str]]:
    """The parameter names of each top-level function (the last definition wins, as at run time)."""
    found: dict[str, list[str]] = {}
    if cells is None:
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        trees = [piece.tree for piece in of_script(text) if piece.tree is not None]
    else:
        trees = [tree for tree, _ in (_parse(text, start) for start, text in cells) if tree is not None]
    for tree in trees:
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
