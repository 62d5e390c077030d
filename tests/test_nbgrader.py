"""An nbgrader course, end to end, with the real nbgrader commands: the kit's assignment goes
into source/, nbgrader releases it, two students fetch, fill in and submit it (one correct, one
with a bug), the instructor collects, the kit grades, and `nbgrader export` shows the kit's
grades."""
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from corpus_support import KIT

NAME = "linear_regression"
NBGRADER = shutil.which("nbgrader", path=str(Path(sys.executable).parent))
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(NBGRADER is None, reason="nbgrader is not installed (pip install -e .)")]


def _run(args, cwd, ok=True):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    if ok:
        assert run.returncode == 0, f"{args}:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    return run


def _fill_in(notebook_path: Path, bug: bool) -> None:
    """What a student does: write each function in its solution cell."""
    from autograder.notebook_release import split
    _, parts = split(KIT.joinpath("solutions", NAME, f"{NAME}.py").read_text())
    code = {p.function: "\n".join(line for line in p.code.splitlines() if "SOLUTION" not in line)
            for p in parts if p.function}
    notebook = nbformat.read(notebook_path, as_version=4)
    filled = 0
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            function = meta["grade_id"].removeprefix("solution_")
            cell.source = code[function]
            if bug and function == "linreg":
                cell.source = cell.source.replace("torch.matmul(X, w) + b", "torch.matmul(X, w)")
            filled += 1
    assert filled == 5
    nbformat.write(notebook, notebook_path)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("nbgrader")
    course, exchange = base / "course", base / "exchange"
    course.mkdir()
    exchange.mkdir()
    exchange.chmod(0o777)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'd2l-ch3'\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n")
    ag = [sys.executable, "-m", "autograder"]
    _run([*ag, "nbgrader", "source", str(course), NAME, "--kit", str(KIT)], cwd=course)
    _run([NBGRADER, "generate_assignment", NAME], cwd=course)
    _run([NBGRADER, "release_assignment", NAME], cwd=course)
    for student, bug in (("alice", False), ("bob", True)):
        home = base / student
        home.mkdir()
        student_flags = ["--course", "d2l-ch3", f"--Exchange.root={exchange}"]
        _run([NBGRADER, "fetch_assignment", NAME, *student_flags], cwd=home)
        _fill_in(home / NAME / f"{NAME}.ipynb", bug)
        _run([NBGRADER, "submit", NAME, *student_flags, f"--student={student}"], cwd=home)
    _run([NBGRADER, "collect", NAME], cwd=course)
    graded = _run([*ag, "nbgrader", "grade", str(course), NAME, "--out", str(base / "out"),
                   "--kit", str(KIT), "--devices", "cpu"], cwd=course)
    _run([NBGRADER, "export"], cwd=course)
    return course, base / "out", graded


def test_the_released_notebook_holds_no_solution_and_no_check(course):
    course_dir, _, _ = course
    released = (course_dir / "release" / NAME / f"{NAME}.ipynb").read_text()
    reference = KIT.joinpath("solutions", NAME, f"{NAME}.py").read_text()
    solution_lines = {line.strip() for line in reference.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                      .splitlines() if line.strip()}
    notebook = nbformat.reads(released, as_version=4)
    code = "\n".join(c.source for c in notebook.cells)
    assert not [line for line in solution_lines if line in code]
    checks_source = KIT.joinpath("tests", "graded", f"test_{NAME}.py").read_text()
    assert "def test_" not in code and "TRUE_W" not in code and "TRUE_W" in checks_source
    tasks = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("task")]
    assert tasks and all(c.cell_type == "markdown" for c in tasks)


def test_export_shows_the_kits_grades(course):
    course_dir, out, graded = course
    with (course_dir / "grades.csv").open() as f:
        exported = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(exported) == {"alice", "bob"}
    for student in ("alice", "bob"):
        result = json.loads((out / student / "results.json").read_text())
        assert float(exported[student]["score"]) == pytest.approx(result["score"])
        assert float(exported[student]["max_score"]) == pytest.approx(result["extra_data"]["max_score"])
    assert float(exported["alice"]["score"]) == float(exported["alice"]["max_score"]) > 0
    assert 0 < float(exported["bob"]["score"]) < float(exported["bob"]["max_score"])
    assert "recorded 2 submission(s)" in graded.stdout


def test_the_gradebook_holds_each_checks_points(course):
    from nbgrader.api import Gradebook
    course_dir, out, _ = course
    result = json.loads((out / "bob" / "results.json").read_text())
    lost = {t["extra_data"]["check_id"] for t in result["tests"] if t["score"] < t["max_score"]}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        submission = gb.find_submission_notebook(NAME, NAME, "bob")
        scores = {g.name: (g.score, g.max_score) for g in submission.grades}
        assert submission.needs_manual_grade is False
    assert lost and all(scores[f"check_{c}"][0] < scores[f"check_{c}"][1] for c in lost)
    assert all(score == maximum for name, (score, maximum) in scores.items()
               if name.removeprefix("check_") not in lost)


@pytest.mark.parametrize("assignment", ["softmax_regression", "regularization_and_losses", "mlp", "analytic_solution",
                                        "linear_regression_concise", "softmax_training"])
def test_every_assignment_goes_through_generate_assignment(tmp_path, assignment):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n")
    _run([sys.executable, "-m", "autograder", "nbgrader", "source", str(course), assignment, "--kit", str(KIT)],
         cwd=course)
    _run([NBGRADER, "generate_assignment", assignment], cwd=course)
    released = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    solutions = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert solutions and all("raise NotImplementedError()" in c.source for c in solutions)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_notebook(assignment, assignment)
        assert notebook.max_score > 0 and notebook.task_cells


def test_a_course_without_submissions_gets_a_clear_error(tmp_path):
    run = _run([sys.executable, "-m", "autograder", "nbgrader", "grade", str(tmp_path), NAME, "--out",
                str(tmp_path / "out"), "--kit", str(KIT)], cwd=tmp_path, ok=False)
    assert run.returncode == 2 and "no collected submissions" in run.stderr and "Traceback" not in run.stderr
