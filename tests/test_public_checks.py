"""Do the students' own `pytest` runs give clear, teaching feedback without the kit?"""
import ast
import shutil
import subprocess
import sys

import pytest

from corpus_support import KIT

ASSIGNMENTS = ("linear_regression", "softmax_regression", "regularization_and_losses", "mlp", "analytic_solution",
               "linear_regression_concise", "softmax_training")


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
    assert "should still have y_hat's shape (3, 1), got (3, 3)" in run.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_public_checks_need_only_torch_and_pytest(assignment):
    # Python's own modules are always there; of the rest, only torch and pytest.
    allowed = {"torch", "pytest", assignment} | set(sys.stdlib_module_names)
    for path in (KIT / "assignments" / assignment).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            else:
                continue
            assert names <= allowed, f"{path} imports {names - allowed}"
