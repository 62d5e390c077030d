"""Running a submission's top level in the student process, piece by piece (sandbox/pieces.py).

Each piece (a statement of a .py, a cell of a notebook) runs on its own, in order, in the module's
namespace, under a time budget of its own: processor time, and one and a half times that in wall
time. A piece that does not parse, raises (SystemExit and KeyboardInterrupt too), or runs past its
budget costs only itself: what it is and why goes back to the grader, and the pieces after it run
anyway. Once half of the file's import time has passed, each later piece gets a short budget, so
that the definitions after an endless training loop still run within the import's limit.
"""
from __future__ import annotations

import __future__
import ast
import signal
import time
import traceback
from dataclasses import dataclass

from autograder.sandbox.pieces import Piece, defined_in, of_cells, of_script

WALL_FACTOR = 1.5
LATE_BUDGET_S = 0.5
"""The budget of each piece once half of the import time is used: enough for a definition."""
_FUTURE_FLAGS = {name: getattr(__future__, name).compiler_flag for name in __future__.all_feature_names}
_monotonic, _setitimer = time.monotonic, signal.setitimer


class PieceTimedOut(BaseException):
    """Raised into a piece that ran past its budget (a BaseException, so that `except Exception` in the
    student's code does not swallow it)."""


@dataclass
class TopLevel:
    failures: list
    """What went wrong, per piece, as plain data for the grader."""


def run(text: str, path: str, namespace: dict, cells=None, budget_s: float = 10.0, total_s: float = 60.0,
        describe=None) -> TopLevel:
    """Run ``text`` (the file at ``path``) piece by piece in ``namespace``. ``cells``: a notebook's
    (first line, last line, number) per cell; None for a .py. ``describe(exc)`` gives an exception's
    type, message and frames in the student's file."""
    pieces = of_cells(text, cells) if cells else of_script(text)
    failures, flags = [], 0
    began, soft = _monotonic(), total_s / 2
    docstring = _docstring(pieces)
    if docstring is not None:
        namespace["__doc__"] = docstring
    for piece in pieces:
        if piece.tree is None:
            failures.append(_failure(piece, text, "syntax", "SyntaxError", _syntax_message(piece.error),
                                     piece.error.lineno if piece.error else piece.start))
            continue
        try:
            code = compile(piece.tree, path, "exec", flags=flags, dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:  # a compile-time error
            failures.append(_failure(piece, text, "syntax", type(exc).__name__, str(exc),
                                     getattr(exc, "lineno", None) or piece.start))
            continue
        flags |= _future_flags(piece.tree)
        budget = budget_s if _monotonic() - began < soft else min(budget_s, LATE_BUDGET_S)
        try:
            with _budget(budget):
                exec(code, namespace)
        except PieceTimedOut:
            failures.append(_failure(piece, text, "timeout", "Timeout",
                                     f"ran past its time budget of {budget:g} s and was stopped", piece.start))
        except BaseException as exc:  # noqa: BLE001 - the student's top level may raise anything
            error = describe(exc) if describe else {"type": type(exc).__name__, "message": str(exc), "frames": []}
            frames = error.get("frames") or []
            line = frames[-1][0] if frames else piece.start
            failures.append(_failure(piece, text, "raised", error["type"], error["message"], line))
    return TopLevel(failures[:200])


def _failure(piece: Piece, text: str, kind: str, type_: str, message: str, line: int) -> dict:
    return {"label": piece.label, "start": piece.start, "line": int(line or piece.start), "kind": kind,
            "type": type_, "message": str(message)[:500], "defines": defined_in(text, piece)[:50]}


def _syntax_message(error) -> str:
    return getattr(error, "msg", None) or str(error) or "invalid syntax"


def _docstring(pieces) -> str | None:
    first = pieces[0].tree if pieces and pieces[0].tree is not None else None
    return ast.get_docstring(first) if first is not None else None


def _future_flags(tree: ast.Module) -> int:
    flags = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                flags |= _FUTURE_FLAGS.get(alias.name, 0)
    return flags


class _budget:
    """Processor time (SIGPROF) and wall time (SIGALRM) for one piece; both raise PieceTimedOut."""

    def __init__(self, seconds: float):
        self.seconds = max(seconds, 0.01)

    def __enter__(self):
        self._old = (signal.signal(signal.SIGPROF, _expired), signal.signal(signal.SIGALRM, _expired))
        # Repeating, so that code which catches the first one is stopped again half a second later.
        _setitimer(signal.ITIMER_PROF, self.seconds, 0.5)
        _setitimer(signal.ITIMER_REAL, self.seconds * WALL_FACTOR, 0.5)
        return self

    def __exit__(self, *exc):
        _setitimer(signal.ITIMER_PROF, 0)
        _setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, self._old[0])
        signal.signal(signal.SIGALRM, self._old[1])
        return False


def _expired(signum, frame):
    raise PieceTimedOut()


def describe_traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))[-4000:]
