"""Notebooks made from an assignment's Python source, for students and for nbgrader.

The source file is cut at its top-level statements: the module docstring becomes the
opening markdown cell; each function gets a markdown cell (its name and contract) and a
code cell (the function itself); the statements between functions (imports) stay code.

Both carry their public checks: a first code cell (``self_checks``) holds the public checks, the
explanations of mistakes and the runner as text, and defines ``check``; below each function a cell
runs ``check("linreg")``. So a notebook checks itself wherever it is opened (Colab, JupyterHub,
VS Code, Jupyter), with nothing beside it, and nbgrader's release keeps these cells. They carry the
``check`` tag, and the grader skips them.

The nbgrader version (``nbgrader_source``) keeps the solution markers for
``nbgrader generate_assignment`` to strip, marks each function cell as a solution cell, and
adds one locked nbgrader "task" cell per check, worth the check's points in grading.toml. Those
cells hold only the check's title: the graded checks themselves, and the reference, never enter
the notebook, and ``nbgrader autograde`` has nothing to run.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass


KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


@dataclass(frozen=True)
class Part:
    """One piece of the source: a function (with its docstring) or other statements."""

    code: str
    function: str | None = None
    doc: str | None = None


@dataclass(frozen=True)
class GradedCheck:
    """What a graded cell in the nbgrader notebook stands for."""

    id: str
    title: str
    points: float
    tags: tuple[str, ...]


def split(text: str) -> tuple[str | None, list[Part]]:
    """The module docstring, and the source cut into parts at top-level functions.

    A part runs from its first line (decorators and the comments just above it included) to
    where the next one starts, so that trailing comments in a function body (the
    ``### END SOLUTION`` marker) stay with the function.
    """
    tree = ast.parse(text)
    lines = text.splitlines()
    doc = ast.get_docstring(tree)
    body = list(tree.body)
    floor = 0
    if doc is not None:
        floor = body[0].end_lineno
        body = body[1:]
    starts = []
    for node in body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        while start - 1 > floor and (not lines[start - 2].strip() or lines[start - 2].startswith("#")):
            start -= 1  # blank lines and column-0 comments above belong to this statement
        starts.append(start)
        floor = node.end_lineno
    bounds = starts + [len(lines) + 1]
    parts: list[Part] = []
    pending: list[str] = []
    for node, start, end in zip(body, bounds, bounds[1:]):
        chunk = "\n".join(lines[start - 1:end - 1]).strip("\n")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if pending:
                parts.append(Part("\n\n".join(pending)))
                pending = []
            parts.append(Part(chunk, node.name, ast.get_docstring(node)))
        elif chunk:
            pending.append(chunk)
    if pending:
        parts.append(Part("\n\n".join(pending)))
    return doc, parts


def _intro(doc: str | None, assignment: str) -> str:
    paragraphs = (doc or assignment).strip().split("\n\n")
    title = " ".join(paragraphs[0].split())
    rest = [p for p in paragraphs[1:] if "pytest" not in p]
    text = [f"# {title}", *rest,
            f"Fill in each function below, run its cell, and hand in this notebook as "
            f"`{assignment}.ipynb` (keep the name). Each function's contract is in its docstring: "
            "the grader checks exactly that. Code outside the functions runs too when your "
            "notebook is graded, so keep long experiments out of the notebook you hand in."]
    return "\n\n".join(text)


def _contract(part: Part) -> str:
    doc = (part.doc or "").strip()
    summary, _, details = doc.partition("\n\n")
    text = f"## `{part.function}`\n\n{' '.join(summary.split())}"
    if details.strip():
        text += "\n\n```text\n" + details.strip() + "\n```"
    return text


def _notebook(cells) -> str:
    import nbformat
    from nbformat.v4 import new_notebook
    notebook = new_notebook(cells=cells, metadata={"kernelspec": KERNEL,
                                                   "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-")[:40]


CHECK_TAG = "check"
"""Cells with this tag run the public checks for the student; the grader skips them."""


def _check_cell(functions: list[str], cell_id: str):
    from nbformat.v4 import new_code_cell
    call = ", ".join(f'"{f}"' for f in functions)
    return new_code_cell(f"check({call})  # this notebook's public checks{' of ' + call if call else ''}",
                         id=cell_id, metadata={"tags": [CHECK_TAG]})


def self_checks(files: dict[str, str], assignment: str) -> str:
    """The source of the notebook's first code cell: it defines ``check``, from the public checks,
    diagnose.py and student_support.py (``files``: the released files), held as text, so that
    nothing beside the notebook is needed. Nothing is put in sys.modules: the checks' imports of
    the assignment and of diagnose are answered by student_support."""
    sources = {name: files[name] for name in ("diagnose.py", "student_support.py", f"test_{assignment}.py")}
    return (
        "# Self-checks: run this cell once. Below each function, check(\"name\") runs that function's public\n"
        "# checks on your code, and check() at the end runs them all. Only torch is needed, and nothing beside\n"
        "# this notebook. Written by the course's kit: there is no need to read or edit it.\n"
        "def _self_checks():\n"
        "    import types\n\n"
        "    def module(name, source):\n"
        "        made = types.ModuleType(name)\n"
        "        exec(compile(source, f\"<{name}>\", \"exec\"), made.__dict__)\n"
        "        return made\n"
        f"    diagnose = module(\"diagnose\", {sources['diagnose.py']!r})\n"
        f"    support = module(\"student_support\", {sources['student_support.py']!r})\n"
        "    support._DIAGNOSE = diagnose\n"
        f"    support.TESTS[{assignment!r}] = {sources[f'test_{assignment}.py']!r}\n"
        f"    return support.notebook_checker(globals(), {assignment!r})\n\n\n"
        "check = _self_checks()\n")


def _self_checks_cell(source: str):
    from nbformat.v4 import new_code_cell
    return new_code_cell(source, id="self-checks",
                         metadata={"tags": [CHECK_TAG], "jupyter": {"source_hidden": True}, "cellView": "form"})


def student_notebook(stub_text: str, assignment: str, checks_source: str) -> str:
    """The released notebook: the same stubs as the .py, one function per cell, each followed by
    a cell that runs that function's public checks (defined by the self-checks cell at the top)."""
    from nbformat.v4 import new_code_cell, new_markdown_cell
    doc, parts = split(stub_text)
    cells = [new_markdown_cell(_intro(doc, assignment), id="intro"), _self_checks_cell(checks_source)]
    for index, part in enumerate(parts):
        if part.function:
            cells.append(new_markdown_cell(_contract(part), id=f"about-{_slug(part.function)}"))
            cells.append(new_code_cell(part.code, id=f"code-{_slug(part.function)}"))
            cells.append(_check_cell([part.function], f"self-check-{_slug(part.function)}"))
        else:
            cells.append(new_code_cell(part.code, id=f"setup-{index}"))
    cells.append(new_markdown_cell("## All the public checks\n\nThe checks above, and those of several "
                                   "functions together (training). The graded checks test more cases.",
                                   id="about-all-checks"))
    cells.append(_check_cell([], "self-check-all"))
    return _notebook(cells)


def _nbgrader(**fields) -> dict:
    return {"nbgrader": {"schema_version": 3, "task": False, **fields}}


def nbgrader_source(solution_text: str, assignment: str, checks: list[GradedCheck], checks_source: str) -> str:
    """The notebook for an nbgrader course's source/ folder (solutions inside markers), with the same
    self-checks as the released notebook (``checks_source``: self_checks of the released files)."""
    from nbformat.v4 import new_code_cell, new_markdown_cell
    doc, parts = split(solution_text)
    cells = [new_markdown_cell(_intro(doc, assignment), id="intro"), _self_checks_cell(checks_source)]
    placed: set[str] = set()
    functions = [p.function for p in parts if p.function]

    def graded_cells(selected):
        # nbgrader "task" cells: worth points, never executed by `nbgrader autograde`, and
        # filled in by `autograder nbgrader grade` (as a manual score an instructor may adjust).
        for check in selected:
            placed.add(check.id)
            source = (f"**Graded check `{check.id}` ({check.points:g} point{'' if check.points == 1 else 's'}).** {check.title}")
            cells.append(new_markdown_cell(source, id=f"check-{_slug(check.id)}", metadata={"nbgrader": {
                "schema_version": 3, "task": True, "grade": False, "solution": False, "locked": True,
                "points": check.points, "grade_id": f"check_{check.id}"}}))

    for index, part in enumerate(parts):
        if not part.function:
            cells.append(new_code_cell(part.code, id=f"setup-{index}"))
            continue
        cells.append(new_markdown_cell(_contract(part), id=f"about-{_slug(part.function)}"))
        cells.append(new_code_cell(part.code, id=f"code-{_slug(part.function)}", metadata=_nbgrader(
            grade=False, solution=True, locked=False, grade_id=f"solution_{part.function}")))
        cells.append(_check_cell([part.function], f"self-check-{_slug(part.function)}"))
        graded_cells([c for c in checks if c.tags == (part.function,)])
    rest = [c for c in checks if c.id not in placed]
    if rest:
        cells.append(new_markdown_cell("## Checks of several functions together\n\nThese run the book's "
                                       "training loop with your functions.", id="about-together"))
        graded_cells(rest)
    cells.append(new_markdown_cell("## All the public checks\n\nThe graded checks above test more cases, "
                                   "when your notebook is graded.", id="about-all-checks"))
    cells.append(_check_cell([], "self-check-all"))
    unknown = sorted({t for c in checks for t in c.tags} - set(functions))
    if unknown:
        raise ValueError(f"checks name functions that {assignment}.py does not define: {', '.join(unknown)}")
    return _notebook(cells)
