"""Reading a submission safely and fairly, before anything is graded: a file cut into pieces that run
one by one, notebooks that cannot stop the class, only regular files inside the submissions folder,
resubmissions, and student-supplied names that cannot become formulas or terminal commands."""
import json
import os
import time
from pathlib import Path

import pytest

from autograder.grade.submission import MAX_FILE_BYTES, discover
from autograder.notebook import MAX_CELLS, NotebookError, to_script
from autograder.report.grades_csv import neutral
from autograder.report.layout import student_folder
from autograder.sandbox.errors import clean_text
from autograder.sandbox.pieces import defined_in, of_script
from autograder.sandbox.student_side.top_level import run

NAME = "linear_regression"


# ------------------------------------------------------------------ a .py, statement by statement
def test_a_syntax_error_costs_only_its_own_block():
    text = ("import torch\n\n\ndef linreg(X, w, b)\n    return X @ w + b\n\n\n@torch.no_grad()\n"
            "def sgd(params, lr, batch_size):\n    for p in params:\n        p -= lr * p.grad / batch_size\n\n\n"
            "LOSSES = [\n    1,\n    2,\n]\n")
    pieces = of_script(text)
    broken = [p for p in pieces if p.tree is None]
    assert [(p.start, defined_in(text, p)) for p in broken] == [(4, ["linreg"])]
    parsed = [name for p in pieces if p.tree is not None for name in p.defines]
    assert parsed == ["sgd"], "the decorator joins its function, the list its closing bracket"
    namespace: dict = {}
    top = run(text, "f.py", namespace)
    assert "sgd" in namespace and namespace["LOSSES"] == [1, 2] and "linreg" not in namespace
    assert [(f["kind"], f["line"], f["defines"]) for f in top.failures] == [("syntax", 4, ["linreg"])]


def test_a_statement_that_raises_or_runs_too_long_costs_only_itself():
    text = ("from __future__ import annotations\nimport missing_helper_module\n"
            "def linreg(X, w, b) -> Undefined:\n    return X @ w + b\n"
            "while True:\n    pass\n"
            "try:\n    while True:\n        pass\nexcept BaseException:\n    while True:\n        pass\n"
            "def sgd(params, lr, batch_size):\n    return None\n")
    namespace: dict = {}
    began = time.process_time()
    top = run(text, "f.py", namespace, budget_s=0.3, total_s=10)
    assert time.process_time() - began < 5
    assert {"linreg", "sgd"} <= set(namespace), "the definitions around the failures survive"
    kinds = [(f["line"], f["kind"], f["type"]) for f in top.failures]
    assert kinds == [(2, "raised", "ModuleNotFoundError"), (5, "timeout", "Timeout"), (7, "timeout", "Timeout")]


def test_a_file_pasted_indented_throughout_names_its_functions():
    text = "    import torch\n\n    def linreg(X, w, b):\n        def inner():\n            pass\n        return X\n"
    (piece,) = of_script(text)
    assert piece.tree is None and defined_in(text, piece) == ["linreg"]


# ------------------------------------------------------------------ notebooks that cannot stop the class
def _notebook(cells: int = 1, **changes) -> bytes:
    """A valid nbformat 4.5 notebook of one-line code cells, written as JSON directly (nbformat's own
    writer validates, which is what the grader's reading is measured against)."""
    raw = {"cells": [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "execution_count": None,
                      "outputs": [], "source": f"x{i} = {i}"} for i in range(cells)],
           "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    raw.update(changes)
    return json.dumps(raw).encode()


@pytest.mark.parametrize("raw, words", [
    (_notebook(nbformat=99), "not a valid Jupyter notebook"),
    (_notebook(nbformat_minor="four"), "not a valid Jupyter notebook"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"\xff\xfe not text", "not a text file"),
    (b'{"cells": [{"cell_type": "code", "source": 7}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
     "not a valid Jupyter notebook"),
])
def test_a_forged_notebook_is_that_students_clear_error(raw, words):
    with pytest.raises(NotebookError, match=words):
        to_script(raw, "x.ipynb")


def test_many_small_cells_are_laid_out_in_linear_size_under_a_bound():
    """The layout grows with the cells, not with the square of their number (as padding each cell to
    its line number did); past MAX_CELLS a notebook is refused before nbformat reads it."""
    raw = _notebook(MAX_CELLS)
    script = to_script(raw, "x.ipynb")
    assert len(script.pieces) == MAX_CELLS
    assert len(script.text) < 3 * sum(len(f"x{i} = {i}\n") for i in range(MAX_CELLS))
    with pytest.raises(NotebookError, match="cells, over the"):
        to_script(_notebook(50_000), "x.ipynb")


# ------------------------------------------------------------------ only regular files, inside the folder
def _student(root: Path, name: str, files: dict[str, bytes]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for filename, data in files.items():
        (folder / filename).write_bytes(data)
    return folder


def test_links_fifos_and_huge_files_are_never_read(tmp_path):
    subs, outside = tmp_path / "subs", tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "reference.py"
    secret.write_text("def linreg(X, w, b):\n    return 'the reference'\n")
    _student(subs, "honest", {f"{NAME}.py": b"x = 1\n"})
    (_student(subs, "linker", {}) / f"{NAME}.py").symlink_to(secret)
    (_student(subs, "relative", {}) / f"{NAME}.py").symlink_to(Path("..") / "honest" / f"{NAME}.py")
    os.mkfifo(_student(subs, "fifo", {}) / f"{NAME}.py")
    with (_student(subs, "huge", {}) / f"{NAME}.py").open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    (subs / "folder_link").symlink_to(outside, target_is_directory=True)
    found, warnings = discover(subs, NAME)
    by_name = {s.student: s for s in found}
    assert set(by_name) == {"honest", "linker", "relative", "fifo", "huge"}
    assert by_name["honest"].data == b"x = 1\n"
    for name, words in (("linker", "link"), ("relative", "link"), ("fifo", "not a regular file"), ("huge", "MB")):
        assert by_name[name].path is None and words in by_name[name].problem, (name, by_name[name].problem)
        assert b"the reference" not in by_name[name].data
    assert any("folder_link" in w and "link" in w for w in warnings)


def test_the_newest_resubmission_is_graded_and_the_others_named(tmp_path):
    subs = tmp_path / "subs"
    _student(subs, "ada", {f"{NAME}.py": b"v = 0\n", f"{NAME}-1.py": b"v = 1\n", f"{NAME}-2.py": b"v = 2\n"})
    _student(subs, "bo", {f"{NAME} (1).ipynb": _notebook()})
    (subs / f"smithcy_LATE_1003_501_{NAME}.py").write_bytes(b"v = 'first'\n")
    (subs / f"smithcy_LATE_1003_502_{NAME}-1.py").write_bytes(b"v = 'second'\n")
    found = {s.student: s for s in discover(subs, NAME)[0]}
    assert found["ada"].data == b"v = 2\n" and f"{NAME}-1.py" in found["ada"].note
    assert found["bo"].path == Path(f"{NAME}.ipynb") and f"{NAME} (1).ipynb" in found["bo"].note
    cy = found["smithcy_1003"]
    assert cy.data == b"v = 'second'\n" and cy.late and cy.path == Path(f"{NAME}.py")


def test_a_student_folder_cannot_take_a_class_files_place(tmp_path):
    for name in ("report.html", "grades.csv", "canvas.csv", "grader.log"):
        assert student_folder(tmp_path, name).parent == tmp_path / "students"


# ------------------------------------------------------------------ names from the student's side
@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_evaluate_stays_text(cell):
    assert neutral(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["alice", "smithalice_1001", "41.0", "1e-3"])
def test_ordinary_cells_are_left_alone(cell):
    assert neutral(cell) == cell


def test_terminal_escapes_in_a_name_never_reach_the_terminal():
    name = "eve\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u202eevil"
    cleaned = clean_text(name)
    assert "\x1b" not in cleaned and "\x07" not in cleaned and "\u202e" not in cleaned and "eve" in cleaned


def test_a_percent_inside_brackets_is_python_not_a_magic():
    """Only a logical line's start can hold a magic, as in IPython: the book's print of a formatted
    string, continued on the next line with `% (...)`, stays Python."""
    cell = ("for epoch in range(2):\n    print('epoch %d, loss %.4f'\n          % (epoch + 1, 0.5))\n"
            "%matplotlib inline\nlabel = '''\n%not a magic\n'''\n")
    raw = _notebook(1)
    notebook = json.loads(raw)
    notebook["cells"][0]["source"] = cell
    script = to_script(json.dumps(notebook).encode(), "x.ipynb")
    assert "% (epoch + 1, 0.5))" in script.text and "%not a magic" in script.text
    assert "%matplotlib" not in script.text
    namespace: dict = {}
    assert run(script.text, "x.ipynb", namespace, cells=script.pieces).failures == []
    assert namespace["label"] == "\n%not a magic\n"
