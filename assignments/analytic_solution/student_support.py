"""The students' side of the public checks, the same in `pytest` and in a notebook's `check()`.

Only torch and Python's own modules: `autograder release` copies this file into every assignment
folder (beside ``pieces.py``, also from the engine), and embeds it in the released notebooks' first
cell, so that a notebook checks itself anywhere (Colab, JupyterHub).

* ``load``: the student's file, run one top-level statement at a time as the grader runs it: a
  statement that raises or does not parse costs only itself, and a function it never defined fails
  its checks with the reason ("linreg was never defined: line 24 has a syntax error: expected ':'").
* ``install``: that loader for the assignment's module, and, where d2l is not installed (as where
  grading runs), a d2l whose tensor aliases are torch's, whose own solutions (``d2l.sgd``) fail the
  function that calls them, as they cost it its points where it is graded, and whose other helpers
  do nothing here (``pip install d2l`` for them). It holds no solution code.
* ``explain``: what a failed check says, in one place for pytest and the notebook.
* ``notebook_checker``: the ``check(...)`` function of a notebook.
"""
from __future__ import annotations

import builtins
import sys
import traceback
import types
from pathlib import Path

D2L_SOLUTIONS: tuple = ('Classifier', 'LinearRegression', 'LinearRegressionScratch', 'SGD', 'SoftmaxRegression', 'accuracy', 'cross_entropy', 'data_iter', 'evaluate_accuracy', 'l2_penalty', 'linreg', 'linreg_concise', 'load_array', 'net', 'predict_ch3', 'relu', 'sgd', 'softmax', 'squared_loss', 'synthetic_data', 'train_ch3', 'train_epoch_ch3')
"""d2l's own solutions, which the grader charges to the function that uses them (grading.toml's
d2l_solutions group; written here by `autograder release`)."""

TESTS: dict = {}
"""In a notebook: the public checks' source, by assignment (written into the notebook's first cell)."""


class NotDefined(Exception):
    """A function the student's file never defined, and why."""


class ReadyMade(Exception):
    """A function used d2l's own solution, which the grader gives no points for."""


_loading = 0
"""How many files are being loaded: at the top level, d2l's solutions are fine (as where grading runs)."""


# ---------------------------------------------------------------- loading the student's file
def load(name: str, path: Path) -> types.ModuleType:
    """``path`` as the module ``name``, run statement by statement (pieces.py): what fails is
    skipped, as the grader skips it, and noted in ``module.__top_level__``."""
    global _loading
    text = Path(path).read_text(encoding="utf-8")
    module = types.ModuleType(name)
    module.__file__ = str(path)
    failures = []
    _loading += 1
    try:
        _run_pieces(text, path, module, failures)
    finally:
        _loading -= 1
    module.__top_level__ = tuple(why for _, why, _ in failures)
    module.__getattr__ = _missing(failures, Path(path).name)
    return module


def _run_pieces(text: str, path: Path, module: types.ModuleType, failures: list) -> None:
    from pieces import defined_in, of_script
    for piece in of_script(text):
        where = f"line {piece.error.lineno if piece.error and piece.error.lineno else piece.start} of {Path(path).name}"
        if piece.tree is None:
            failures.append((defined_in(text, piece), f"{where} has a syntax error: "
                                                      f"{getattr(piece.error, 'msg', None) or piece.error}",
                             _code_at(piece.error) + f"\nLikely cause: {_diagnose().syntax_hint(Path(path).name)}"))
            continue
        try:
            exec(compile(piece.tree, str(path), "exec"), module.__dict__)
        except Exception as error:  # noqa: BLE001 - as where grading runs, a failing statement is skipped
            line = _line_in(error, str(path)) or piece.start
            hint = _diagnose().known_hint(f"{type(error).__name__}: {error}")
            failures.append((defined_in(text, piece), f"the statement at line {piece.start} raised "
                                                      f"{type(error).__name__}: {error} (line {line})",
                             f"\nLikely cause: {hint}" if hint else ""))


def _code_at(error) -> str:
    """The student's line under a syntax error, with a caret where Python stopped reading."""
    line = (getattr(error, "text", None) or "").rstrip("\n")
    if not line.strip():
        return ""
    offset = getattr(error, "offset", None) or 0
    indent = len(line) - len(line.lstrip())
    caret = "\n    " + " " * max(0, offset - 1 - indent) + "^" if 0 < offset <= len(line) + 1 else ""
    return f"\n    {line.strip()}{caret}"


def _missing(failures: list, filename: str):
    """The module's __getattr__: a function it never defined fails its checks with the reason."""
    def missing(attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        why, detail = next(((w, d) for defines, w, d in failures if attr in defines), (None, ""))
        message = (f"{attr} was never defined: {why}{detail}" if why else
                   f"{filename} has no function named {attr}: keep the stub's name and signature")

        def not_defined(*args, **kwargs):
            raise NotDefined(message)
        not_defined.__name__ = attr
        return not_defined
    return missing


def _line_in(error: BaseException, filename: str) -> int | None:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return frames[-1].lineno if frames else None


class _Finder:
    """Answers for the assignment's own module (statement by statement) and, where d2l is not
    installed, for d2l (its stand-in)."""

    def __init__(self, folder: Path, names: set[str]):
        self.folder, self.names = folder, names

    def find_spec(self, fullname, path=None, target=None):
        import importlib.util
        if fullname in self.names and (self.folder / f"{fullname}.py").is_file():
            return importlib.util.spec_from_loader(fullname, self)
        if fullname.split(".")[0] == "d2l" and not _really_installed("d2l"):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        if spec.name in self.names:
            return load(spec.name, self.folder / f"{spec.name}.py")
        return _D2L(spec.name)

    def exec_module(self, module):
        pass


def _really_installed(name: str) -> bool:
    import importlib.machinery
    return importlib.machinery.PathFinder.find_spec(name) is not None


_D2L_ALIASES = ("ones", "zeros", "tensor", "arange", "meshgrid", "sin", "sinh", "cos", "cosh", "tanh", "linspace",
                "exp", "log", "normal", "rand", "randn", "matmul", "int32", "int64", "float32", "stack", "abs", "eye")
_D2L_METHODS = {"numpy": "numpy", "size": "numel", "reshape": "reshape", "to": "to", "reduce_sum": "sum",
                "argmax": "argmax", "astype": "type", "transpose": "t", "reduce_mean": "mean",
                "expand_dims": "unsqueeze", "swapaxes": "swapaxes", "repeat": "repeat"}


class _D2L(types.ModuleType):
    """d2l where it is not installed: torch's aliases, d2l's own solutions failing the function that
    calls them, and anything else doing nothing."""

    def __getattr__(self, attr):
        import torch
        if attr.startswith("__"):
            raise AttributeError(attr)
        if attr in ("torch", "mxnet", "tensorflow", "jax"):  # from d2l import torch as d2l
            value = _D2L(f"{self.__name__}.{attr}")
        elif attr in _D2L_ALIASES:
            value = getattr(torch, attr)
        elif attr in _D2L_METHODS:
            method = _D2L_METHODS[attr]
            value = (lambda x, *a, **k: x.detach().cpu().numpy(*a, **k)) if method == "numpy" else \
                (lambda x, *a, **k: getattr(x, method)(*a, **k))
        elif attr == "concat":
            value = torch.cat
        elif attr in D2L_SOLUTIONS:
            value = _solution(f"d2l.{attr}")
        else:
            value = _Nothing(f"d2l.{attr}")
        setattr(self, attr, value)
        return value


def _solution(name: str):
    def solution(*args, **kwargs):
        raise ReadyMade(f"{name} is d2l's own solution: where your work is graded, a function that uses it "
                        "gets no points for its checks. Write it from scratch." +
                        (" (At the top level of your file it is fine where grading runs, but here it needs "
                         "the real d2l: pip install d2l.)" if _loading else ""))
    solution.__name__ = name
    return solution


class _Nothing:
    """A d2l helper the real package has (plots, timers, datasets): it does nothing here."""

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

    def __repr__(self):
        return f"<{self._name}: d2l is not installed here, so it does nothing (pip install d2l)>"


def install(folder: Path) -> None:
    """Load this folder's assignment files (``test_NAME.py`` beside ``NAME.py``) as the grader does."""
    folder = Path(folder)
    names = {p.stem.removeprefix("test_") for p in folder.glob("test_*.py")}
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder(folder, names))


def top_level_problems() -> list[str]:
    """What failed at the top level of the files loaded here."""
    return [why for module in list(sys.modules.values())
            for why in (getattr(module, "__dict__", {}).get("__top_level__") or ())]


# ---------------------------------------------------------------- what a failed check says
def explain(error: BaseException, where: str = "pytest") -> str:
    """The message of a failed check, the same in pytest (``where="pytest"``) and in a notebook."""
    again = "run pytest again" if where == "pytest" else "run its cell again"
    if isinstance(error, (NotDefined, ReadyMade)):
        return str(error)
    if isinstance(error, NotImplementedError):
        return f"{error} — fill in this function's body, then {again}."
    if isinstance(error, AssertionError) and str(error):
        return str(error)
    place = _student_frame(error)
    text = f"{type(error).__name__}: {error}"
    if place is not None:
        text += f" (in {place.name}, line {place.lineno}" + (f": `{place.line}`" if place.line else "") + ")"
    hint = likely_cause(error)
    return text + (f"\nLikely cause: {hint}" if hint else "")


def likely_cause(error: BaseException) -> str | None:
    """What an error usually means where the student's function raised it (diagnose.py), or None."""
    place = _student_frame(error)
    return _diagnose().known_hint(f"{type(error).__name__}: {error}", place.name if place is not None else None)


def _student_frame(error: BaseException):
    frames = traceback.extract_tb(error.__traceback__)
    theirs = [f for f in frames if not f.filename.startswith("<public checks")
              and not Path(f.filename).name.startswith(("test_", "student_support"))]
    return theirs[-1] if theirs else None


def _diagnose():
    if _DIAGNOSE is not None:
        return _DIAGNOSE
    import diagnose
    return diagnose


# ---------------------------------------------------------------- a notebook's check()
def notebook_checker(namespace: dict, assignment: str):
    """The notebook's ``check(*functions)``: its public checks, run on the notebook's own functions."""

    def check(*functions: str) -> None:
        module = _checks_for(namespace, assignment)
        chosen = [(name, fn) for name, fn in vars(module).items() if name.startswith("test_") and callable(fn)
                  and (not functions or any(name == f"test_{f}" or name.startswith(f"test_{f}_") for f in functions))]
        if not chosen:
            print(f"No public check is named after {', '.join(functions)}.")
            return
        failed = 0
        for name, test in chosen:
            try:
                test()
            except Exception as error:  # noqa: BLE001 - any error is feedback here
                failed += 1
                print(f"✗ {name}: {explain(error, where='notebook')}")
            else:
                print(f"✓ {name}")
        print(f"{len(chosen) - failed} of {len(chosen)} checks passed." if failed else
              f"All {len(chosen)} checks passed. The graded checks test more cases.")
    return check


def _checks_for(namespace: dict, assignment: str) -> types.ModuleType:
    """The public checks, importing the notebook's functions where they import the .py file's (no
    module is put in sys.modules: the imports are answered here)."""
    notebook = types.ModuleType(assignment)
    notebook.__dict__.update({k: v for k, v in namespace.items() if callable(v) and not k.startswith("_")})

    def later(attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)

        def not_yet(*args, **kwargs):
            raise NotDefined(f"{attr}: not defined in this notebook yet (run its cell first)")
        return not_yet
    notebook.__getattr__ = later
    known = {assignment: notebook, "diagnose": _diagnose()}

    def importer(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name in known:
            return known[name]
        return builtins.__import__(name, globals, locals, fromlist, level)
    module = types.ModuleType(f"public_checks_{assignment}")
    module.__dict__["__builtins__"] = {**vars(builtins), "__import__": importer}
    exec(compile(TESTS[assignment], f"<public checks of {assignment}>", "exec"), module.__dict__)
    return module


_DIAGNOSE = None
"""In a notebook, the diagnose module its first cell built (set there)."""
