"""Do notebook students get their checks, as `pytest` gives them to .py students?

The released notebook has, after each function, a cell that runs that function's public checks
(notebook_check.py, released beside it), and a last cell that runs them all. These tests execute
the notebook in a real Jupyter kernel (nbclient, ipykernel), once as released and once with the
functions filled in, and check that the grader skips those cells.
"""
import shutil

import nbformat
import pytest

from autograder.notebook import to_script
from autograder.authoring.notebooks import split
from corpus_support import KIT

nbclient = pytest.importorskip("nbclient", reason="nbclient and ipykernel come with the test extra")
pytestmark = pytest.mark.slow

ASSIGNMENTS = ("linear_regression", "softmax_regression", "mlp")


def _run(folder, notebook):
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}}, allow_errors=True)
    client.execute()
    return {cell.id: "".join(o.get("text", "") for o in cell.get("outputs", []))
            for cell in notebook.cells if cell.cell_type == "code"}


def _released(tmp_path, assignment):
    folder = tmp_path / assignment
    shutil.copytree(KIT / "assignments" / assignment, folder)
    return folder, nbformat.read(folder / f"{assignment}.ipynb", as_version=4)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_finished_notebook_passes_its_checks(tmp_path, assignment):
    folder, notebook = _released(tmp_path, assignment)
    (folder / f"{assignment}.py").unlink()  # the notebook alone: its own functions are checked
    _, solved = split((KIT / "solutions" / assignment / f"{assignment}.py").read_text(encoding="utf-8"))
    code = {part.function: part.code for part in solved if part.function}
    for cell in notebook.cells:
        if cell.id.startswith("code-"):
            cell.source = code[cell.id.removeprefix("code-").replace("-", "_")]
    outputs = _run(folder, notebook)
    checks = {k: v for k, v in outputs.items() if k.startswith("check-")}
    assert checks and all("✓" in text and "✗" not in text for text in checks.values()), checks
    assert "All " in checks["check-all"] and "checks passed" in checks["check-all"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_an_untouched_notebook_is_told_what_to_fill_in(tmp_path, assignment):
    folder, notebook = _released(tmp_path, assignment)
    outputs = _run(folder, notebook)
    first = next(v for k, v in outputs.items() if k.startswith("check-") and k != "check-all")
    assert "✗" in first and "not implemented yet" in first, first


def test_the_grader_skips_the_check_cells():
    raw = (KIT / "assignments" / "linear_regression" / "linear_regression.ipynb").read_bytes()
    script = to_script(raw, "linear_regression.ipynb")
    assert "notebook_check" not in script.text and "def linreg" in script.text
