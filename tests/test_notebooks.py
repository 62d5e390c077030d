"""Notebooks: released from the same source as the .py, and graded like a .py in every layout.

The corpus in tests/corpus/notebooks/ holds students' notebooks (expectations.json says what
each should get): magics and shell escapes, plots, the book's loop at the top level, bugs,
a ready-made API, and unreadable files. They are graded in one batch through the CLI, in the
plain layout, in nbgrader's submitted/<student>/<assignment>/ layout, and mixed with .py files.
"""
import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from corpus_support import KIT, Scenario, expectation_problems

pytestmark = pytest.mark.slow

NOTEBOOKS = KIT / "tests" / "corpus" / "notebooks"
EXPECTED = json.loads((NOTEBOOKS / "expectations.json").read_text())
ASSIGNMENT = "linear_regression"


def _scenario(name: str) -> Scenario:
    expect, _, fns = EXPECTED[name].partition(" ")
    return Scenario(ASSIGNMENT, name, NOTEBOOKS / name, expect,
                    frozenset(f.strip() for f in fns.split(",") if f.strip()), True, ())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("notebook-subs")
    for i, name in enumerate(sorted(EXPECTED)):
        # Alternate the two layouts: plain, and nbgrader's submitted/<student>/<assignment>/.
        folder = subs / Path(name).stem / (ASSIGNMENT if i % 2 else "")
        folder.mkdir(parents=True)
        shutil.copyfile(NOTEBOOKS / name, folder / f"{ASSIGNMENT}.ipynb")
    wrong = subs / "wrong_name"
    wrong.mkdir()
    shutil.copyfile(NOTEBOOKS / "ok_with_magics.ipynb", wrong / f"hw1_{ASSIGNMENT}.ipynb")
    copy = subs / "numbered_copy"  # a browser's second download of the same file
    copy.mkdir()
    shutil.copyfile(NOTEBOOKS / "ok_with_magics.ipynb", copy / f"{ASSIGNMENT} (1).ipynb")
    both = subs / "both_files"
    both.mkdir()
    shutil.copyfile(KIT / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.py", both / f"{ASSIGNMENT}.py")
    shutil.copyfile(NOTEBOOKS / "ok_with_magics.ipynb", both / f"{ASSIGNMENT}.ipynb")
    out = tmp_path_factory.mktemp("notebook-out")
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(subs),
                          "--out", str(out), "--devices", "cpu"], capture_output=True, text=True, cwd=KIT,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return {p.parent.name: json.loads(p.read_text()) for p in out.glob("students/*/results.json")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_is_graded_as_expected(graded, name):
    problems = expectation_problems(_scenario(name), graded[Path(name).stem])
    assert not problems, problems


def test_an_unreadable_notebook_says_why(graded):
    for name in ("broken_truncated", "broken_python_saved_as_ipynb", "broken_not_a_notebook"):
        output = graded[name]["output"]
        assert "Your notebook could not be read" in output and "linear_regression.ipynb" in output, output


def test_a_cell_with_a_syntax_error_is_named_on_its_functions_checks_and_the_other_cells_count(graded):
    result = graded["bug_syntax_error_in_the_sgd_cell"]
    for test in result["tests"]:
        if test["max_score"] > 0 and "sgd" in test["tags"]:
            assert test["status"] == "failed"
            assert "sgd was never defined: cell 12" in test["output"] and "syntax error: expected ':'" in test["output"]
        elif test["max_score"] > 0:
            assert test["status"] == "passed", test
    assert 0 < result["score"] < result["extra_data"]["max_score"]


def test_a_wrong_file_name_gets_a_message_and_a_numbered_copy_is_graded(graded):
    output = graded["wrong_name"]["output"]
    assert graded["wrong_name"]["score"] == 0
    assert "hw1_linear_regression.ipynb" in output and "exactly this name" in output
    copy = graded["numbered_copy"]
    assert copy["score"] == copy["extra_data"]["max_score"] > 0
    assert "linear_regression (1).ipynb" in copy["output"]


def test_with_both_files_the_one_worked_on_is_graded(graded):
    result = graded["both_files"]
    assert result["score"] == result["extra_data"]["max_score"] > 0
    assert "linear_regression.ipynb was graded" in result["output"]


# ---------------------------------------------------------------- the released notebook
def _code(notebook_path: Path) -> str:
    notebook = nbformat.read(notebook_path, as_version=4)
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "code")


@pytest.mark.parametrize("assignment", ["linear_regression", "softmax_regression"])
def test_the_released_notebook_holds_the_same_stubs_as_the_py(assignment):
    folder = KIT / "assignments" / assignment
    notebook = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    nbformat.validate(notebook)

    def functions(source):
        return {n.name: ast.unparse(n) for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}

    from_py = functions((folder / f"{assignment}.py").read_text())
    # Beside the stubs, the notebook holds only its self-check cell's loader (tagged "check").
    in_notebook = functions(_code(folder / f"{assignment}.ipynb"))
    assert from_py and {k: v for k, v in in_notebook.items() if k != "_self_checks"} == from_py
    checks = [c for c in notebook.cells if c.cell_type == "code" and "check" in c.metadata.get("tags", [])]
    assert "def _self_checks" in checks[0].source
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert all(f"`{name}`" in markdown for name in from_py), "every function gets its explanation cell"
    assert "BEGIN SOLUTION" not in notebook_text(folder / f"{assignment}.ipynb")


def notebook_text(path: Path) -> str:
    return path.read_text()


def test_magics_are_neutralised_and_a_failing_cell_does_not_stop_the_rest():
    from autograder.notebook import to_script
    from autograder.sandbox.student_side.top_level import run
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%matplotlib inline\nx = 1\n!ls\nfiles = !ls\nx?"),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("%%bash\nrm -rf /\necho hi"),
        nbformat.v4.new_code_cell("def broken(:\n    pass"),
        nbformat.v4.new_code_cell("%%time\ny = x + 1\nif y:\n    !echo inside\nundefined_name"),
        nbformat.v4.new_code_cell("z = y * 10"),
    ])
    script = to_script(nbformat.writes(notebook).encode(), "nb.ipynb")
    namespace: dict = {}
    top = run(script.text, "nb.ipynb", namespace, cells=script.pieces)
    assert namespace["y"] == 2 and namespace["files"] is None and namespace["z"] == 20
    failed = {(f["label"], f["type"]) for f in top.failures}
    assert failed == {("cell 4", "SyntaxError"), ("cell 5", "NameError")}, top.failures
    assert "# rm -rf /" in script.text and "rm -rf" not in script.text.replace("# rm -rf", ""), "the %%bash body is commented out"
    # Line 2 of cell 5 (y = x + 1) sits at its place in the layout of all code cells.
    line = script.origins.index((5, 2)) + 1
    assert script.locate(line, "nb.ipynb") == "cell 5, line 2 of nb.ipynb"


def test_failing_cells_are_reported(graded):
    assert "ModuleNotFoundError" in graded["ok_despite_a_failing_import_cell"]["output"]
    leftover = graded["ok_leftover_failing_cell"]["output"]
    assert "top level: cell " in leftover and "raised RuntimeError" in leftover and "never printed" not in leftover
