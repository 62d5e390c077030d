"""Do notebook students get their checks, as `pytest` gives them to .py students, wherever they open it?

The released notebook carries its public checks in its first cell (self-checks), and has, after
each function, a cell that runs that function's checks, and a last cell that runs them all. These
tests execute the notebook alone in an empty folder (as Colab or a JupyterHub opens it) in a real
Jupyter kernel (nbclient, ipykernel), once as released and once with the functions filled in; they
check that check() and pytest say the same about the same mistake, that the grader skips those
cells, and that a notebook whose check cells lost their tag (pasted into new cells) still grades.
"""
import json
import subprocess
import sys

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


def _alone(tmp_path, assignment):
    """The released notebook, alone in an empty folder."""
    folder = tmp_path / "colab"
    folder.mkdir()
    return folder, nbformat.read(KIT / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)


def _fill_in(notebook, assignment, change=None):
    _, solved = split((KIT / "solutions" / assignment / f"{assignment}.py").read_text(encoding="utf-8"))
    code = {part.function: part.code for part in solved if part.function}
    for cell in notebook.cells:
        if cell.id.startswith("code-"):
            function = cell.id.removeprefix("code-").replace("-", "_")
            cell.source = change(function, code[function]) if change else code[function]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_finished_notebook_alone_passes_its_checks(tmp_path, assignment):
    folder, notebook = _alone(tmp_path, assignment)
    _fill_in(notebook, assignment)
    outputs = _run(folder, notebook)
    assert outputs["self-checks"] == "", "the first cell defines check() quietly"
    checks = {k: v for k, v in outputs.items() if k.startswith("self-check-")}
    assert checks and all("✓" in text and "✗" not in text for text in checks.values()), checks
    assert "All " in checks["self-check-all"] and "checks passed" in checks["self-check-all"]
    assert list(folder.iterdir()) == [], "nothing is written beside the notebook"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_an_untouched_notebook_is_told_what_to_fill_in(tmp_path, assignment):
    folder, notebook = _alone(tmp_path, assignment)
    outputs = _run(folder, notebook)
    first = next(v for k, v in outputs.items() if k.startswith("self-check-") and k != "self-check-all")
    assert "✗" in first and "not implemented yet" in first, first


def test_check_and_pytest_say_the_same_about_the_same_mistake(tmp_path):
    """An sgd that updates a leaf in place outside no_grad: the same likely cause in both."""
    def slip(function, code):
        if function != "sgd":
            return code
        return ("def sgd(params, lr, batch_size):\n    for param in params:\n"
                "        param -= lr * param.grad / batch_size\n        param.grad.zero_()\n")
    folder, notebook = _alone(tmp_path, "linear_regression")
    _fill_in(notebook, "linear_regression", slip)
    said = _run(folder, notebook)["self-check-sgd"]
    assert "✗" in said and "Likely cause:" in said
    cause = said.split("Likely cause:", 1)[1].splitlines()[0].strip()
    local = tmp_path / "local"
    subprocess.run(["cp", "-r", str(KIT / "assignments" / "linear_regression"), str(local)], check=True)
    code = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "code" and "check" not in c.metadata.get("tags", []))
    (local / "linear_regression.py").write_text(code)
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly"], cwd=local, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 1 and f"Likely cause: {cause}" in run.stdout, run.stdout[-3000:]


def test_the_grader_skips_the_check_cells_and_needs_their_tags_for_nothing(tmp_path):
    raw = (KIT / "assignments" / "linear_regression" / "linear_regression.ipynb").read_bytes()
    script = to_script(raw, "linear_regression.ipynb")
    assert "check(" not in script.text and "def linreg" in script.text
    # The same notebook finished, its check cells pasted into new cells (no tag): still graded in full.
    notebook = nbformat.reads(raw.decode(), as_version=4)
    _fill_in(notebook, "linear_regression")
    for cell in notebook.cells:
        cell.metadata.pop("tags", None)
    subs = tmp_path / "subs" / "ada"
    subs.mkdir(parents=True)
    nbformat.write(notebook, subs / "linear_regression.ipynb")
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(subs.parent),
                          "--out", str(tmp_path / "out"), "--devices", "cpu"], cwd=KIT, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads((tmp_path / "out" / "students" / "ada" / "results.json").read_text())
    assert result["score"] == result["extra_data"]["max_score"] > 0, result["output"]
