"""Notebooks: a student's .ipynb turned into the script the sandbox imports, and back.

Grading a notebook means running its code cells, in order, in one module; a failing cell does
not stop the next ones, as in Jupyter. The student process runs them as it runs a ``.py`` file's
statements (sandbox/pieces.py): the script is the cells laid out one after the other, and each cell
is one piece. Jupyter-only syntax is neutralised on the way, line for line, so that error messages
can still point at "cell 4, line 2": line magics and shell escapes become ``pass``, and the body of
a cell whose magic runs another language (``%%bash``, ``%%html``…) becomes comments. Plotting needs
nothing here: the student process runs matplotlib headless, and ``display`` does nothing there.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Cell magics whose body is still Python; any other cell magic runs something else.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
_MAGIC = re.compile(r"^(\s*)(%|!)")
LOCAL_CHECK_TAG = "check"
"""Cells tagged so (notebook_release.CHECK_TAG) run the public checks for the student only."""
_HELP = re.compile(r"^(\s*)[\w.]+\?\??\s*$|^(\s*)\?\??[\w.]+\s*$")


MAX_NOTEBOOK_BYTES = 20 * 2**20
"""Larger than any notebook of this chapter with its outputs cleared."""
MAX_CELLS = 5_000
"""Ten times the cells of a whole pasted chapter; past it, reading (nbformat's validation takes about
0.1 ms per cell) would cost the class time for nothing."""


class NotebookError(ValueError):
    """A file that is not a readable notebook; the message says why, in a student's words."""


@dataclass(frozen=True)
class Script:
    """The Python a notebook amounts to, and where each of its lines came from."""

    text: str
    """The code cells, neutralised, one after the other with a blank line between them."""
    origins: tuple[tuple[int, int] | None, ...]
    """For script line i (1-based, index i - 1): (notebook cell number, line in that cell),
    both 1-based and counting every cell as Jupyter shows them; None for added lines."""
    cells: tuple[tuple[int, str], ...] = ()
    """Each code cell as (its first line in the script, its neutralised source)."""
    pieces: tuple[tuple[int, int, int], ...] = ()
    """Each code cell as (first line, last line, cell number): what the student process runs one by one."""

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
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{filename} is {len(raw) // 2**20} MB, over the {MAX_NOTEBOOK_BYTES // 2**20} MB a "
                            "notebook may have here; clear its outputs and hand it in again")
    try:
        raw_json = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"{filename} is not valid notebook JSON (line {exc.lineno}: {exc.msg}); "
                            "it may have been cut off, or saved from a text editor") from None
    except RecursionError:
        raise NotebookError(f"{filename} is JSON nested too deeply to be a notebook") from None
    cells = raw_json.get("cells") if isinstance(raw_json, dict) else None
    if isinstance(cells, list) and len(cells) > MAX_CELLS:
        raise NotebookError(f"{filename} has {len(cells)} cells, over the {MAX_CELLS} a notebook may have here")
    try:
        invalid: dict = {}
        notebook = nbformat.reads(text, as_version=4, capture_validation_error=invalid)  # validated once
        if "ValidationError" in invalid:
            raise invalid["ValidationError"]
        for cell in notebook.cells:
            if not isinstance(cell.get("source", ""), (str, list)) or not isinstance(cell.get("cell_type"), str):
                raise TypeError("a cell whose source or type is not text")
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on a forged file; all are the file's
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{filename} is not a valid Jupyter notebook ({first[:200]})") from None
    return notebook


def to_script(raw: bytes, filename: str) -> Script:
    """The code cells of the notebook, laid out one after the other as one script.

    As in Jupyter, a cell that fails (a syntax error, an exception, a leftover experiment) does not
    stop the cells after it: the student process runs each cell on its own (``pieces``), with its
    own time budget, and reports each failure, which the student's feedback names. Line numbers in
    errors map back to "cell N, line R" (Script.locate).
    """
    notebook = read(raw, filename)
    origins: list[tuple[int, int] | None] = []
    lines: list[str] = []
    cells: list[tuple[int, str]] = []
    pieces: list[tuple[int, int, int]] = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code" or LOCAL_CHECK_TAG in (cell.get("metadata", {}).get("tags") or []):
            continue  # the student's own public-check cells run on their machine, not here
        source = cell.source if isinstance(cell.source, str) else "".join(str(part) for part in cell.source)
        neutral = _neutralise(source.splitlines())
        start = len(lines) + 1
        lines += neutral
        origins += [(number, row) for row in range(1, len(neutral) + 1)]
        if neutral:
            cells.append((start, "\n".join(neutral) + "\n"))
            pieces.append((start, start + len(neutral) - 1, number))
        lines.append("")
        origins.append(None)
    return Script("\n".join(lines) + "\n", tuple(origins), tuple(cells), tuple(pieces))


def _neutralise(lines: list[str]) -> list[str]:
    """The cell's lines with Jupyter-only syntax made inert; as many lines as it had."""
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split()[0] if lines[0].lstrip()[2:].split() else ""
        head = f"pass  # %%{magic}: a cell magic, ignored by the grader"
        if magic in PYTHON_CELL_MAGICS:
            return [head, *_neutralise_lines(lines[1:])]
        return [head, *(f"# {line}" for line in lines[1:])]
    return _neutralise_lines(lines)


def _neutralise_lines(lines: list[str]) -> list[str]:
    """Jupyter's syntax is read only where a logical line starts, as IPython reads it: a line that
    begins with % inside brackets (``print('%d'\\n % n)``) is Python's operator, not a magic."""
    return [_neutralise_line(line) if starts else line for line, starts in zip(lines, _logical_starts(lines))]


def _logical_starts(lines: list[str]) -> list[bool]:
    """For each line, whether a new logical line starts there: no bracket left open, no string left
    open and no backslash continuation from the lines before."""
    starts, depth, quote, continued = [], 0, None, False
    for line in lines:
        starts.append(depth == 0 and quote is None and not continued)
        i, n = 0, len(line)
        while i < n:
            c = line[i]
            if quote is not None:
                if c == "\\":
                    i += 2
                    continue
                if line.startswith(quote, i):
                    i += len(quote)
                    quote = None
                    continue
            elif c == "#":
                break
            elif c in "\"'":
                quote = line[i:i + 3] if line[i:i + 3] in ('"""', "'''") else c
                i += len(quote)
                continue
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                depth = max(depth - 1, 0)
            i += 1
        if quote in ('"', "'"):
            quote = None  # a one-line string left open is a syntax error of its own line
        continued = line.rstrip().endswith("\\") and quote is None
    return starts


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
