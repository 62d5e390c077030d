"""Notebooks: a student's .ipynb turned into the script the sandbox imports, and back.

Grading a notebook means running its code cells, in order, as one module; a failing cell does
not stop the next ones, as in Jupyter. Jupyter-only syntax is neutralised on the way, line for
line, so that error messages can still point at "cell 4, line 2": line magics and shell escapes
become ``pass``, and the body of a cell whose magic runs another language (``%%bash``,
``%%html``…) becomes comments. Plotting needs nothing here: the student process runs matplotlib
headless, and ``display`` is defined as a no-op.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Cell magics whose body is still Python; any other cell magic runs something else.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
PRELUDE = ("def display(*objects, **options):  # Jupyter's display(), harmless outside it\n"
           "    pass\n")
_MAGIC = re.compile(r"^(\s*)(%|!)")
LOCAL_CHECK_TAG = "check"
"""Cells tagged so (notebook_release.CHECK_TAG) run the public checks for the student only."""
_HELP = re.compile(r"^(\s*)[\w.]+\?\??\s*$|^(\s*)\?\??[\w.]+\s*$")


class NotebookError(ValueError):
    """A file that is not a readable notebook; the message says why, in a student's words."""


@dataclass(frozen=True)
class Script:
    """The Python a notebook amounts to, and where each of its lines came from."""

    text: str
    origins: tuple[tuple[int, int] | None, ...]
    cells: tuple[tuple[int, str], ...] = ()
    """Each code cell as (its first line in the virtual layout, its neutralised source): what the
    grader reads statically, since ``text`` holds the cells as strings."""
    """For script line i (1-based, index i - 1): (notebook cell number, line in that cell),
    both 1-based and counting every cell as Jupyter shows them; None for added lines."""

    def locate(self, line: int, filename: str) -> str:
        origin = self.origins[line - 1] if 0 < line <= len(self.origins) else None
        if origin is None:
            return f"line {line} of {filename}"
        cell, row = origin
        return f"cell {cell}, line {row} of {filename}"


def read(raw: bytes, filename: str):
    """Parse and validate a notebook; NotebookError says what is wrong with it."""
    import nbformat  # on first use: it takes a second to import
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookError(f"{filename} is not a text file, so it cannot be a notebook") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{filename} is not valid notebook JSON (line {exc.lineno}: {exc.msg}); "
                            "it may have been cut off, or saved from a text editor") from None
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except (nbformat.ValidationError, nbformat.reader.NotJSONError, KeyError, TypeError,
            AttributeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{filename} is not a valid Jupyter notebook ({first[:200]})") from None
    return notebook


def to_script(raw: bytes, filename: str) -> Script:
    """The code cells of the notebook, run in order, as one importable script.

    As in Jupyter, a cell that fails (a syntax error, an exception, a leftover experiment)
    does not stop the cells after it: the script runs each cell on its own and prints one
    line about each failure, which the student's feedback shows. Each cell is compiled at
    its place in a virtual layout of all the cells, so that line numbers in errors map back
    to "cell N, line R" (Script.locate).
    """
    notebook = read(raw, filename)
    origins: list[tuple[int, int] | None] = []
    cells: list[tuple[int, int, str]] = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code" or LOCAL_CHECK_TAG in (cell.get("metadata", {}).get("tags") or []):
            continue  # the student's own public-check cells run on their machine, not here
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        lines = _neutralise(source.splitlines())
        cells.append((len(origins) + 1, number, "\n".join(lines) + "\n"))
        origins += [(number, row) for row in range(1, len(lines) + 1)]
        origins.append(None)
    text = PRELUDE + _RUNNER.replace("@CELLS@", repr(cells))
    return Script(text, tuple(origins), tuple((start, source) for start, _, source in cells))


# Runs in the student process, as the module the grader imports. Names start with _autograder
# so that they stay out of the student's way; the cells run in the module's own globals.
_RUNNER = """\
import sys as _autograder_sys
import traceback as _autograder_traceback


def _autograder_run_cells(cells, namespace):
    for start, number, source in cells:
        try:
            exec(compile("\\n" * (start - 1) + source, __file__, "exec"), namespace)
        except Exception as error:
            if isinstance(error, SyntaxError) and error.lineno:
                row = error.lineno - start + 1
            else:
                rows = [f.lineno for f in _autograder_traceback.extract_tb(error.__traceback__) if f.filename == __file__]
                row = rows[-1] - start + 1 if rows else None
            where = f"cell {number}" + (f", line {row}" if row else "")
            message = error.msg if isinstance(error, SyntaxError) else str(error)
            print(f"[grader] {where} raised {type(error).__name__}: {message}; the cells after it ran anyway.",
                  file=_autograder_sys.stderr)


_autograder_run_cells(@CELLS@, globals())
del _autograder_run_cells
"""


def _neutralise(lines: list[str]) -> list[str]:
    """The cell's lines with Jupyter-only syntax made inert; as many lines as it had."""
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split()[0] if lines[0].lstrip()[2:].split() else ""
        head = f"pass  # %%{magic}: a cell magic, ignored by the grader"
        if magic in PYTHON_CELL_MAGICS:
            return [head, *(_neutralise_line(line) for line in lines[1:])]
        return [head, *(f"# {line}" for line in lines[1:])]
    return [_neutralise_line(line) for line in lines]


def _neutralise_line(line: str) -> str:
    magic = _MAGIC.match(line)
    if magic:
        what = "a shell command" if magic.group(2) == "!" else "a magic command"
        return f"{magic.group(1)}pass  # {what}, ignored by the grader"
    if _HELP.match(line):
        indent = len(line) - len(line.lstrip())
        return " " * indent + "pass  # a help request, ignored by the grader"
    assigned = re.match(r"^(\s*)([\w, ]+)=\s*[%!]", line)
    if assigned:
        return f"{assigned.group(1)}{assigned.group(2).strip()} = None  # a magic, ignored by the grader"
    return line
