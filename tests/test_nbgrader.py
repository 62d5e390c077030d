"""An nbgrader course, end to end, with the real nbgrader commands: the kit's assignment goes
into source/, nbgrader releases it, three students fetch, fill in and submit it (one correct, one
with a bug, one whose notebook lost a check's cell), the instructor collects, the kit grades, and
then nbgrader's own tools take over: `nbgrader export` shows the kit's grades, the formgrader
(a real Jupyter server) lists every submission as autograded with its score, and
`generate_feedback`, `release_feedback` and the students' `fetch_feedback` carry the kit's
messages to each student."""
import csv
import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from corpus_support import KIT, kit_assignments

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


def _fill_in(notebook_path: Path, bug: bool, drop_a_check: bool = False) -> None:
    """What a student does: write each function in its solution cell."""
    from autograder.authoring.notebooks import split
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
    if drop_a_check:  # locked in Jupyter, but the JSON can be edited: nbgrader's autograde restores it
        notebook.cells = [c for c in notebook.cells
                          if c.metadata.get("nbgrader", {}).get("grade_id") != "check_linreg_values"]
        for cell in notebook.cells:  # and a message that is HTML, which must reach no page as HTML
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "solution_squared_loss":
                cell.source = ("def squared_loss(y_hat, y):\n"
                               "    raise ValueError('<img src=x onerror=\"document.title=1\"> **bold**')\n")
                # A forged output: HTML with a script, for the formgrader to serve in the instructor's origin.
                cell.outputs = [nbformat.v4.new_output("display_data", data={
                    "text/html": "<script>document.title='forged'</script>FORGED-OUTPUT"})]
        # A forged graded cell worth 100 points, twice under the same id.
        forged = {"nbgrader": {"grade": True, "grade_id": "forged_bonus", "points": 100, "solution": False,
                               "locked": False, "schema_version": 3}}
        notebook.cells += [nbformat.v4.new_code_cell("bonus = 1", metadata=forged),
                           nbformat.v4.new_code_cell("bonus = 2", metadata=forged)]
        # And the reference beside the notebook, as a .py: nbgrader grades the notebook, so must the kit.
        shutil.copyfile(KIT / "solutions" / NAME / f"{NAME}.py", notebook_path.with_suffix(".py"))
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
    _run([*ag, "nbgrader", "source", NAME, "--kit", str(KIT)], cwd=course)
    _run([NBGRADER, "generate_assignment", NAME], cwd=course)
    _run([NBGRADER, "release_assignment", NAME], cwd=course)
    for student, bug, drop in (("alice", False, False), ("bob", True, False), ("carol", False, True)):
        home = base / student
        home.mkdir()
        _run([NBGRADER, "fetch_assignment", NAME, *_student_flags(exchange)], cwd=home)
        _fill_in(home / NAME / f"{NAME}.ipynb", bug, drop)
        _run([NBGRADER, "submit", NAME, *_student_flags(exchange), f"--student={student}"], cwd=home)
    _run([NBGRADER, "collect", NAME], cwd=course)
    graded = _run([*ag, "nbgrader", "grade", NAME, "--out", str(base / "out"),
                   "--kit", str(KIT), "--devices", "cpu"], cwd=course)
    _run([NBGRADER, "export"], cwd=course)
    feedback = _run([NBGRADER, "generate_feedback", NAME], cwd=course)
    _run([NBGRADER, "release_feedback", NAME], cwd=course)
    for student in ("alice", "bob", "carol"):
        _run([NBGRADER, "fetch_feedback", NAME, *_student_flags(exchange), f"--student={student}"],
             cwd=base / student)
    return course, base / "out", graded, feedback


def _student_flags(exchange: Path) -> list[str]:
    return ["--course", "d2l-ch3", f"--Exchange.root={exchange}"]


def test_the_released_notebook_holds_no_solution_and_no_graded_check_but_its_self_checks(course):
    course_dir, *_ = course
    released = (course_dir / "release" / NAME / f"{NAME}.ipynb").read_text()
    reference = KIT.joinpath("solutions", NAME, f"{NAME}.py").read_text()
    solution_lines = {line.strip() for line in reference.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                      .splitlines() if line.strip()}
    notebook = nbformat.reads(released, as_version=4)
    code = "\n".join(c.source for c in notebook.cells)
    assert not [line for line in solution_lines if line in code]
    checks_source = KIT.joinpath("tests", "graded", f"test_{NAME}.py").read_text()
    # The graded checks (which take the student's functions and the reference's) never reach it.
    assert "(student, ref, ctx)" in checks_source and "(student, ref, ctx)" not in code
    assert "TRUE_W" not in code and "TRUE_W" in checks_source
    tasks = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("task")]
    assert tasks and all(c.cell_type == "markdown" for c in tasks)
    # nbgrader's release keeps the notebook's own public checks: the first code cell defines check(),
    # and a cell after each function runs it.
    ids = [c.id for c in notebook.cells]
    assert "self-checks" in ids and "self-check-linreg" in ids and "self-check-all" in ids
    assert "def test_linreg_by_hand" in next(c.source for c in notebook.cells if c.id == "self-checks")


def test_export_shows_the_kits_grades(course):
    course_dir, out, graded, _ = course
    with (course_dir / "grades.csv").open() as f:
        exported = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(exported) == {"alice", "bob", "carol"}
    for student in ("alice", "bob", "carol"):
        result = json.loads((out / "students" / student / "results.json").read_text())
        assert float(exported[student]["score"]) == pytest.approx(result["score"])
        assert float(exported[student]["max_score"]) == pytest.approx(result["extra_data"]["max_score"])
    assert float(exported["alice"]["score"]) == float(exported["alice"]["max_score"]) > 0
    assert 0 < float(exported["bob"]["score"]) < float(exported["bob"]["max_score"])
    assert "recorded 3 submissions" in graded.stdout


def test_the_gradebook_holds_each_checks_points(course):
    from nbgrader.api import Gradebook
    course_dir, out, *_ = course
    result = json.loads((out / "students" / "bob" / "results.json").read_text())
    lost = {t["extra_data"]["check_id"] for t in result["tests"] if t["score"] < t["max_score"]}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        submission = gb.find_submission_notebook(NAME, NAME, "bob")
        scores = {g.name: (g.score, g.max_score) for g in submission.grades}
        assert submission.needs_manual_grade is False
    assert lost and all(scores[f"check_{c}"][0] < scores[f"check_{c}"][1] for c in lost)
    assert all(score == maximum for name, (score, maximum) in scores.items()
               if name.removeprefix("check_") not in lost)


def _formgrader_submissions(course_dir: Path) -> list[dict]:
    """What the formgrader's page asks its server for, from a real Jupyter server in the course."""
    import socket
    import time
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    jupyter = Path(sys.executable).parent / "jupyter"
    server = subprocess.Popen([str(jupyter), "server", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                               "--ServerApp.token=kit-test", f"--ServerApp.root_dir={course_dir}",
                               *(["--allow-root"] if os.geteuid() == 0 else [])],
                              cwd=course_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/formgrader/api/submissions/{NAME}?token=kit-test"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=30) as reply:
                    return json.loads(reply.read())
            except OSError:
                if server.poll() is not None:
                    pytest.fail("the Jupyter server stopped: " + server.stderr.read().decode()[-3000:])
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_formgrader_shows_each_submission_autograded_with_its_score(course):
    course_dir, out, *_ = course
    listed = {s["student"]: s for s in _formgrader_submissions(course_dir)}
    assert set(listed) == {"alice", "bob", "carol"}
    for student, shown in listed.items():
        result = json.loads((out / "students" / student / "results.json").read_text())
        assert shown["autograded"] is True and shown["needs_manual_grade"] is False, shown
        assert shown["score"] == pytest.approx(result["score"])
        assert shown["max_score"] == pytest.approx(result["extra_data"]["max_score"])


def test_students_fetch_feedback_with_the_kits_messages(course):
    course_dir, out, _, generated = course
    assert "Traceback" not in generated.stderr
    base = course_dir.parent
    # Here every student is the same OS user, whom fetch_feedback goes by: each home gets every
    # feedback, in a folder named by the submission's time. Each student's is the one at theirs.
    stamp = lambda student: (course_dir / "submitted" / student / NAME / "timestamp.txt").read_text().strip()
    pages = {student: (base / student / NAME / "feedback" / stamp(student) / f"{NAME}.html").read_text()
             for student in ("alice", "bob", "carol")}
    bob = json.loads((out / "students" / "bob" / "results.json").read_text())
    lost = [t for t in bob["tests"] if t["score"] < t["max_score"]]
    first_line = next(line for line in lost[0]["output"].splitlines()[1:] if line.strip())
    assert html.escape(first_line[:60], quote=False) in pages["bob"]
    assert "Fix this first" in pages["bob"] and "Every check of sgd passed." in pages["bob"]
    assert "Fix this first" not in pages["alice"]
    assert "<img src=x" not in pages["carol"] and "&lt;img src=x onerror=" in pages["carol"]
    assert "**bold**" in pages["carol"] and "<strong>bold" not in pages["carol"]
    for student, page in pages.items():
        result = json.loads((out / "students" / student / "results.json").read_text())
        assert f"Score: {result['score']:g} / {result['extra_data']['max_score']:g}" in page.replace(".0 ", " "), \
            student


def test_a_check_cell_a_student_deleted_is_restored_in_the_autograded_copy(course):
    course_dir, *_ = course
    ids = lambda path: [c.metadata.get("nbgrader", {}).get("grade_id") for c in nbformat.read(path, as_version=4).cells]
    submitted = ids(course_dir / "submitted" / "carol" / NAME / f"{NAME}.ipynb")
    autograded = ids(course_dir / "autograded" / "carol" / NAME / f"{NAME}.ipynb")
    assert "check_linreg_values" not in submitted and "check_linreg_values" in autograded
    assert set(ids(course_dir / "autograded" / "alice" / NAME / f"{NAME}.ipynb")) == set(autograded)


def test_forged_outputs_grade_cells_and_a_py_beside_the_notebook_change_nothing(course):
    """What nbgrader's own autograde does, the kit does: outputs cleared, nbgrader metadata that the
    source does not have stripped before anything renders, and the notebook graded, not a .py."""
    from nbgrader.api import Gradebook
    course_dir, out, *_ = course
    autograded = nbformat.read(course_dir / "autograded" / "carol" / NAME / f"{NAME}.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in autograded.cells)
    assert "FORGED-OUTPUT" not in json.dumps(autograded)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in autograded.cells]
    assert "forged_bonus" not in ids and len([i for i in ids if i]) == len({i for i in ids if i})
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        carol = gb.find_submission_notebook(NAME, NAME, "carol")
        alice = gb.find_submission_notebook(NAME, NAME, "alice")
        assert carol.max_score == alice.max_score and "forged_bonus" not in {g.name for g in carol.grades}
    result = json.loads((out / "students" / "carol" / "results.json").read_text())
    assert result["score"] < result["extra_data"]["max_score"], "the reference .py beside it was not graded"


@pytest.mark.parametrize("assignment", [a for a in kit_assignments() if a != NAME])
def test_every_assignment_goes_through_generate_assignment(tmp_path, assignment):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n")
    _run([sys.executable, "-m", "autograder", "nbgrader", "source", assignment, "--course", str(course),
          "--kit", str(KIT)], cwd=course)
    _run([NBGRADER, "generate_assignment", assignment], cwd=course)
    released = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    solutions = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert solutions and all("raise NotImplementedError()" in c.source for c in solutions)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_notebook(assignment, assignment)
        assert notebook.max_score > 0 and notebook.task_cells


def test_a_course_without_submissions_gets_a_clear_error(tmp_path):
    run = _run([sys.executable, "-m", "autograder", "nbgrader", "grade", NAME, "--course", str(tmp_path), "--out",
                str(tmp_path / "out"), "--kit", str(KIT)], cwd=tmp_path, ok=False)
    assert run.returncode == 2 and "no collected submissions" in run.stderr and "Traceback" not in run.stderr


def test_a_regrade_keeps_an_instructors_manual_score(course, tmp_path):
    from nbgrader.api import Gradebook
    course_dir, *_ = course
    copy = tmp_path / "course"
    shutil.copytree(course_dir, copy, symlinks=True)
    (copy / "nbgrader_config.py").write_text((copy / "nbgrader_config.py").read_text().replace(
        repr(str(course_dir)), repr(str(copy))))
    url = f"sqlite:///{copy / 'gradebook.db'}"
    with Gradebook(url) as gb:
        grade = gb.find_grade("check_linreg_values", NAME, NAME, "bob")
        grade.manual_score = 1.5  # what an instructor types into the formgrader
        gb.db.commit()
    _run([sys.executable, "-m", "autograder", "nbgrader", "grade", NAME, "--course", str(copy),
          "--out", str(tmp_path / "out"), "--kit", str(KIT), "--devices", "cpu"], cwd=copy)
    with Gradebook(url) as gb:
        grade = gb.find_grade("check_linreg_values", NAME, NAME, "bob")
        assert (grade.auto_score, grade.manual_score, grade.score) == (0.0, 1.5, 1.5)
