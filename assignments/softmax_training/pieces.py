"""A submission's top level, cut into the pieces that run one by one.

Jupyter runs a notebook cell by cell: a cell that fails costs only itself. A ``.py`` runs the same
way here, statement by statement: a top-level statement that raises, or that runs past its time
budget, costs only itself, and the definitions around it survive. Where the file does not parse as
a whole, it is cut at the lines that start a new top-level statement, and each block is parsed on
its own (a syntax error then costs only its own block). Both sides use this: the student process
runs the pieces, and the grader reads them.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_CONTINUES = re.compile(r"^(else|elif|except|finally|case)\b|^[)\]}]")
"""A line at column 0 that belongs to the statement before it."""
_DEFINES = re.compile(r"^([ \t]*)(?:async\s+)?(?:def|class)\s+(\w+)", re.M)
MAX_MERGE = 64
"""Blocks an unparseable block may be joined with, looking for the end of its statement."""


@dataclass(frozen=True)
class Piece:
    start: int
    """Its first line in the file (1-based)."""
    end: int
    """Its last line."""
    label: str
    """How the student sees it: "line 12" for a statement of a .py, "cell 4" for a notebook cell."""
    tree: ast.Module | None = None
    """Its syntax tree, with the file's line numbers; None where it does not parse."""
    error: SyntaxError | None = None

    @property
    def defines(self) -> list[str]:
        """The top-level functions and classes it defines (read from its text where it does not parse)."""
        if self.tree is not None:
            return [n.name for n in self.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                          ast.ClassDef))]
        return []


def parse(text: str, start: int = 1):
    """(tree with line numbers counted from ``start``, None) or (None, the SyntaxError)."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        if exc.lineno:
            exc.lineno += start - 1
        return None, exc
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, nesting too deep to read
        error = SyntaxError(str(exc) or type(exc).__name__)
        error.lineno = start
        return None, error
    if start > 1:
        ast.increment_lineno(tree, start - 1)
    return tree, None


def of_script(text: str) -> list[Piece]:
    """The top-level statements of a .py file, each a piece."""
    tree, error = parse(text)
    if tree is not None:
        return [Piece(_first_line(node), node.end_lineno or _first_line(node), f"line {_first_line(node)}",
                      ast.Module(body=[node], type_ignores=[])) for node in tree.body]
    return _blocks(text.splitlines(keepends=True))


def of_cells(text: str, cells) -> list[Piece]:
    """Each notebook cell (first line, last line, cell number) of the layout ``text``, a piece."""
    lines = text.splitlines(keepends=True)
    pieces = []
    for start, end, number in cells:
        tree, error = parse("".join(lines[start - 1:end]), start)
        pieces.append(Piece(start, end, f"cell {number}", tree, error))
    return pieces


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno] + [d.lineno for d in decorators]) if decorators else node.lineno


def _starts(lines: list[str]) -> list[int]:
    """Indices of the lines that may start a top-level statement: at column 0, not a comment, not
    blank, and not the `else:` or closing bracket of the statement before."""
    starts = []
    for i, line in enumerate(lines):
        if line[:1] in ("", " ", "\t", "#", "\n", "\r") or _CONTINUES.match(line):
            continue
        starts.append(i)
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts


def _blocks(lines: list[str]) -> list[Piece]:
    """Cut an unparseable file into blocks that parse on their own, joining a block with the next ones
    where it needs them (a decorator, a string or bracket over several lines); a block that never
    parses is one piece with its syntax error."""
    starts = _starts(lines) + [len(lines)]
    pieces, i = [], 0
    while i < len(starts) - 1:
        first_error = None
        for j in range(i + 1, min(i + 1 + MAX_MERGE, len(starts))):
            begin, stop = starts[i], starts[j]
            tree, error = parse("".join(lines[begin:stop]), begin + 1)
            if tree is not None:
                pieces += [Piece(_first_line(n), n.end_lineno or _first_line(n), f"line {_first_line(n)}",
                                 ast.Module(body=[n], type_ignores=[])) for n in tree.body]
                i = j
                break
            first_error = first_error or error
        else:
            begin, stop = starts[i], starts[i + 1]
            pieces.append(Piece(begin + 1, stop, f"line {begin + 1}", None, first_error))
            i += 1
    return pieces


def defined_in(text: str, piece: Piece) -> list[str]:
    """What a piece defines, from its text where it does not parse: ``def sgd(`` at the indentation of
    the block's first line (a file pasted indented throughout, too), not a function nested deeper."""
    if piece.tree is not None:
        return piece.defines
    block = "".join(text.splitlines(keepends=True)[piece.start - 1:piece.end])
    first = next((line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    indent = first[:len(first) - len(first.lstrip())]
    return [name for lead, name in _DEFINES.findall(block) if lead == indent]
