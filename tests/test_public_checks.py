"""Do the students' own `pytest` runs give clear, teaching feedback without the kit?"""
import ast
import json
import shutil
import subprocess
import sys

import pytest

from corpus_support import KIT, kit_assignments

ASSIGNMENTS = kit_assignments()


def _run_student_pytest(tmp_path, assignment, solution_text=None):
    folder = tmp_path / assignment
    shutil.copytree(KIT / "assignments" / assignment, folder)
    if solution_text is not None:
        (folder / f"{assignment}.py").write_text(solution_text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest"], cwd=folder, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_stubs_say_not_implemented_yet(tmp_path, assignment):
    run = _run_student_pytest(tmp_path, assignment)
    assert run.returncode == 1
    assert "passed" not in run.stdout.splitlines()[-1]
    assert "not implemented yet" in run.stdout and "Traceback" not in run.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_reference_passes_every_public_check(tmp_path, assignment):
    reference = (KIT / "solutions" / assignment / f"{assignment}.py").read_text(encoding="utf-8")
    run = _run_student_pytest(tmp_path, assignment, reference)
    assert run.returncode == 0, run.stdout[-3000:]


def test_a_classic_slip_gets_a_message_that_explains_it(tmp_path):
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text(encoding="utf-8")
    buggy = reference.replace("(y_hat - y.reshape(y_hat.shape)) ** 2 / 2", "(y_hat - y) ** 2 / 2")
    assert buggy != reference
    run = _run_student_pytest(tmp_path, "linear_regression", buggy)
    assert run.returncode == 1
    assert "should still have y_hat's shape (3, 1), got shape (3, 3)" in run.stdout


def test_a_syntax_error_shows_the_students_line_and_costs_only_its_function(tmp_path):
    """A file with a syntax error is still collected: the student sees their line and what it
    cost, not the import machinery's frames, and the other functions are checked as usual."""
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text(encoding="utf-8")
    broken = reference.replace("def squared_loss(y_hat, y):", "def squared_loss(y_hat, y)")
    assert broken != reference
    run = _run_student_pytest(tmp_path, "linear_regression", broken)
    assert run.returncode == 1
    out = run.stdout + run.stderr
    assert "<frozen importlib" not in out and "_bootstrap" not in out
    assert "syntax error" in out and "def squared_loss(y_hat, y)" in out
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert failed and all("squared_loss" in line or "train" in line for line in failed), failed
    assert "passed" in run.stdout.splitlines()[-1], "the functions the syntax error did not touch still pass"


def test_d2l_imports_behave_locally_as_in_the_grader(tmp_path):
    """`from d2l import torch as d2l` with no d2l installed: the book's helpers a file uses at its top
    level stand in, and a function that calls d2l's ready-made version of one it must write is told so."""
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text(encoding="utf-8")
    with_d2l = ("from d2l import torch as d2l\n" + reference
                + "\n\ntrue_w = d2l.tensor([2, -3.4])\nd2l.plt.plot([1, 2], [3, 4])\n"
                  "\ndef linreg(X, w, b):\n    return d2l.linreg(X, w, b)\n")
    run = _run_student_pytest(tmp_path, "linear_regression", with_d2l)
    assert "ModuleNotFoundError" not in run.stdout + run.stderr
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert failed and all("linreg" in line or "train" in line for line in failed), failed
    assert "d2l.linreg" in run.stdout


# Classic slips, each a one-line change of the reference: the student's pytest and the grader
# must explain each with the same words (both take them from autograder/checks/diagnose.py).
SLIPS = {
    "broadcast": ("(y_hat - y.reshape(y_hat.shape)) ** 2 / 2", "(y_hat - y) ** 2 / 2"),
    "mean_loss": ("(y_hat - y.reshape(y_hat.shape)) ** 2 / 2", "((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).mean()"),
    "no_batch_division": ("param -= lr * param.grad / batch_size", "param -= lr * param.grad"),
    "dropped_last_batch": ("for i in range(0, num_examples, batch_size)",
                           "for i in range(0, num_examples - batch_size + 1, batch_size)"),
    "float_indices": ("torch.tensor(indices[i:min(i + batch_size, num_examples)],",
                      "torch.tensor(indices[i:min(i + batch_size, num_examples)], dtype=torch.float32,"),
    "variance_as_scale": ("torch.normal(0, 0.01, y.shape", "torch.normal(0, 0.01 ** 2, y.shape"),
    "sgd_up_the_gradient": ("param -= lr * param.grad / batch_size", "param += lr * param.grad / batch_size"),
}


@pytest.mark.slow
def test_the_students_pytest_and_the_grader_explain_a_slip_in_the_same_words(tmp_path):
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text(encoding="utf-8")
    class_folder = tmp_path / "class"
    for slip, (old, new) in SLIPS.items():
        assert old in reference, slip
        (class_folder / slip).mkdir(parents=True)
        (class_folder / slip / "linear_regression.py").write_text(reference.replace(old, new), encoding="utf-8")
    graded = subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(class_folder),
                             "--out", str(tmp_path / "out"), "--quiet", "--devices", "cpu"],
                            cwd=KIT, capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0, graded.stderr[-3000:]
    for slip in SLIPS:
        result = json.loads((tmp_path / "out" / "students" / slip / "results.json").read_text())
        hints = {line.removeprefix("Likely cause: ") for t in result["tests"] if t["score"] < t["max_score"]
                 for line in t["output"].splitlines() if line.startswith("Likely cause: ")}
        assert hints, f"{slip}: the grader gave no hint"
        run = _run_student_pytest(tmp_path / slip, "linear_regression",
                                  (class_folder / slip / "linear_regression.py").read_text(encoding="utf-8"))
        assert run.returncode == 1, f"{slip}: the public checks passed"
        shown = [h for h in hints if h.split(". ")[0] in run.stdout]
        assert shown, f"{slip}: pytest shows none of the grader's hints {hints}:\n{run.stdout[-2500:]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_public_checks_need_only_torch_and_pytest(assignment):
    # Python's own modules are always there; of the rest, only torch and pytest, and the folder's own.
    own = {path.stem for path in (KIT / "assignments" / assignment).glob("*.py")}
    allowed = {"torch", "pytest", *own} | set(sys.stdlib_module_names)
    for path in (KIT / "assignments" / assignment).glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # An import tried under `except ImportError` is optional (d2l's stand-in draws with matplotlib
        # where it is installed).
        optional = {id(n) for t in ast.walk(tree) if isinstance(t, ast.Try)
                    and any(isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                            for h in t.handlers) for n in ast.walk(ast.Module(body=t.body, type_ignores=[]))}
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            else:
                continue
            assert names <= allowed, f"{path} imports {names - allowed}"
