"""Does `autograder grade` on the bundled demo do the instructor's main job end to end?"""
import csv
import re
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from corpus_support import KIT

pytestmark = pytest.mark.slow

DEMO = KIT / "demo" / "linear_regression"
STUDENTS = sorted(p.name for p in DEMO.iterdir() if p.is_dir())


def _grade(submissions, out, *extra, assignment="linear_regression"):
    return subprocess.run([sys.executable, "-m", "autograder", "grade", assignment, str(submissions),
                           "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=KIT, timeout=600)


def _tree_digest(folder):
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-out")
    before = _tree_digest(DEMO)
    run = _grade(DEMO, out, "--devices", "cpu")
    assert _tree_digest(DEMO) == before, "grading changed the submissions folder"
    return run, out


def _results(out, student):
    return json.loads((out / "students" / student / "results.json").read_text())


def test_exits_zero_and_prints_a_summary_table(demo):
    run, _ = demo
    assert run.returncode == 0, run.stderr[-2000:]
    assert "student" in run.stdout and all(s in run.stdout for s in STUDENTS)
    assert "Traceback" not in run.stdout + run.stderr


def test_grades_csv_has_one_row_per_student(demo):
    _, out = demo
    rows = list(csv.reader((out / "grades.csv").open()))
    assert rows[0][:3] == ["student", "score", "max_score"]
    assert sorted(r[0] for r in rows[1:]) == STUDENTS
    for row in rows[1:]:
        assert float(row[1]) == _results(out, row[0])["score"]


def test_results_json_follow_gradescopes_format(demo):
    import jsonschema
    schema = json.loads((KIT / "tests" / "schemas" / "gradescope_results.schema.json").read_text())
    _, out = demo
    for student in STUDENTS:
        result = _results(out, student)
        jsonschema.validate(result, schema)
        assert isinstance(result["score"], (int, float)) and isinstance(result["tests"], list)
        for test in result["tests"]:
            assert set(test) >= {"name", "score", "max_score", "status", "output", "tags"}
            assert test["status"] in ("passed", "failed")
            assert 0 <= test["score"] <= test["max_score"]
            assert isinstance(test["tags"], list) and test["tags"]
            assert test["output"].strip()
        assert result["score"] == pytest.approx(sum(t["score"] for t in result["tests"]))


def test_each_demo_student_gets_what_they_deserve(demo):
    _, out = demo
    alice, carol, frank = (_results(out, s) for s in ("alice", "carol", "frank"))
    assert alice["score"] == alice["extra_data"]["max_score"] > 0
    # One bad line costs only what depends on it: the syntax error in linreg, not the whole file.
    assert carol["score"] == 33
    lost = [t for t in carol["tests"] if t["max_score"] > 0 and t["status"] == "failed"]
    assert lost and all("linreg" in t["tags"] and "line 24 of linear_regression.py has a syntax error" in t["output"]
                        for t in lost)
    # A file that did not run says so once, at the top, and each check points there.
    assert frank["score"] == 0 and "No linear_regression.py or linear_regression.ipynb was submitted" in frank["output"]
    assert "linreg.py" in frank["output"] and "Not run: your file did not run" in frank["tests"][0]["output"]


def test_an_endless_loop_costs_only_the_function_that_loops(demo):
    _, out = demo
    dave = _results(out, "dave")
    failed = [t for t in dave["tests"] if t["status"] == "failed" and t["max_score"] > 0]
    assert failed and all("data_iter" in t["tags"] for t in failed)
    assert any("did not finish within" in t["output"] for t in failed)
    # Stopped at the calibrated limit (limits.call_floor_s: the reference's data_iter takes milliseconds),
    # not at limits.call_timeout_s.
    assert any("did not finish within 2 s of processor time" in t["output"] for t in failed), \
        [t["output"][:200] for t in failed]


def test_ready_made_calls_cost_their_functions(demo):
    _, out = demo
    erin = _results(out, "erin")
    assert set(erin["extra_data"]["usage"]) == {"sgd", "squared_loss"}
    assert [f["what"] for f in erin["extra_data"]["usage"]["squared_loss"]["flags"]] == ["torch.nn.functional.mse_loss"]
    for test in erin["tests"]:
        if {"sgd", "squared_loss"} & set(test["tags"]):
            assert test["score"] == 0 and "ready-made" in test["output"]
        elif test["max_score"] > 0 and len(test["tags"]) == 1:
            assert test["status"] == "passed", test


def test_grading_twice_gives_identical_results(tmp_path):
    subs = tmp_path / "subs"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "linear_regression.py").write_bytes((DEMO / "alice" / "linear_regression.py").read_bytes())
    (subs / "bob").mkdir()
    (subs / "bob" / "linear_regression.py").write_bytes((DEMO / "bob" / "linear_regression.py").read_bytes())
    # A file that draws and prints at import, as the book's pasted section does: the same output each time.
    (subs / "carol").mkdir()
    (subs / "carol" / "linear_regression.py").write_text(
        "import random\nimport numpy\nimport torch\n"
        "print('drawn at import:', torch.rand(3), random.random(), numpy.random.rand())\n"
        + (DEMO / "alice" / "linear_regression.py").read_text())
    # Two files that print the inputs of their first linreg call; they differ by a comment only.
    spy = (DEMO / "alice" / "linear_regression.py").read_text() + (
        "\n\n_seen = []\n_linreg = linreg\n\n\ndef linreg(X, w, b):\n    if not _seen:\n"
        "        _seen.append(1)\n        print('inputs:', X[0].tolist())\n    return _linreg(X, w, b)\n")
    for name, comment in (("dan", "# dan\n"), ("eve", "# eve\n")):
        (subs / name).mkdir()
        (subs / name / "linear_regression.py").write_text(comment + spy)
    first, second = tmp_path / "one", tmp_path / "two"
    assert _grade(subs, first, "--devices", "cpu", "--workers", "1").returncode == 0
    assert _grade(subs, second, "--devices", "cpu", "--workers", "2").returncode == 0
    carol = json.loads((first / "students" / "carol" / "results.json").read_text())
    printed = [t for t in carol["tests"] if t["extra_data"].get("kind") == "printed"]
    assert printed and "drawn at import" in printed[0]["output"] and printed[0]["visibility"] == "after_published"
    # Each file gets inputs of its own (the seeds are salted with the file's digest): what one printed
    # of a hidden check's inputs is of no use to another, and the same file gets the same inputs again.
    inputs = {s: [t["output"] for t in json.loads((first / "students" / s / "results.json").read_text())["tests"]
                  if t["extra_data"].get("kind") == "printed"] for s in ("dan", "eve")}
    assert all(p and "inputs:" in p[0] for p in inputs.values()) and inputs["dan"] != inputs["eve"]
    for student in ("alice", "bob", "carol", "dan", "eve"):
        for name in ("results.json", "feedback.html"):
            assert (first / "students" / student / name).read_bytes() == (second / "students" / student / name).read_bytes(), name
    for name in ("grades.csv", "canvas.csv", "report.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_unknown_assignment_is_a_clear_error(tmp_path):
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "linreg", str(DEMO),
                          "--out", str(tmp_path)], capture_output=True, text=True, cwd=KIT)
    assert run.returncode == 2 and "unknown assignment 'linreg'" in run.stderr and "Traceback" not in run.stderr


def test_missing_submissions_folder_is_a_clear_error(tmp_path):
    run = _grade(tmp_path / "nowhere", tmp_path / "out")
    assert run.returncode == 2 and "nowhere" in run.stderr and "Traceback" not in run.stderr


def test_every_check_is_one_row_whatever_the_devices(tmp_path):
    subs = tmp_path / "subs"
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "linear_regression.py").write_bytes((DEMO / "alice" / "linear_regression.py").read_bytes())
    assert _grade(subs, tmp_path / "out").returncode == 0
    result = _results(tmp_path / "out", "alice")
    names = [t["extra_data"]["check_id"] for t in result["tests"]]
    assert len(names) == len(set(names)) and all("[" not in n for n in names)
    numbers = [t["number"] for t in result["tests"]]
    assert len(numbers) == len(set(numbers)) and numbers[0] == "1.1"
    assert all(t["name"] and not t["name"].startswith(t["extra_data"]["check_id"]) for t in result["tests"])
    assert all(t["extra_data"]["devices"] == ["cpu"] and t["extra_data"]["failed_on"] == [] for t in result["tests"])
    assert result["score"] == result["extra_data"]["max_score"] == 41
    assert "skipped" not in result["output"] and "sandbox" not in result["output"]


def test_canvas_download_submissions_layout_is_graded(tmp_path):
    """Canvas's "Download submissions" zip is flat: NAME[_LATE]_ID_SUBMISSION_FILE, with -1 after a
    re-upload. Each student is graded from their newest file, and canvas.csv finds them in the roster."""
    subs = tmp_path / "canvas"
    subs.mkdir()
    alice = (DEMO / "alice" / "linear_regression.py").read_bytes()
    bob = (DEMO / "bob" / "linear_regression.py").read_bytes()
    (subs / "smithalice_1001_555_linear_regression.py").write_bytes(bob)       # first try
    (subs / "smithalice_1001_556_linear_regression-1.py").write_bytes(alice)   # the re-upload
    (subs / "jonesbob_LATE_1002_557_linear_regression.py").write_bytes(bob)
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,HW\n"
                      "\"Smith, Alice\",1001,S-1,asmith,A,\n\"Jones, Bob\",1002,S-2,bjones,A,\n")
    run = _grade(subs, tmp_path / "out", "--roster", str(roster))
    assert run.returncode == 0, run.stderr[-2000:]
    assert _results(tmp_path / "out", "smithalice_1001")["score"] == 41
    assert _results(tmp_path / "out", "jonesbob_1002")["score"] < 41
    canvas = (tmp_path / "out" / "canvas.csv").read_text()
    assert '"Smith, Alice",1001' in canvas and '"Jones, Bob",1002' in canvas
    grades = {r["student"]: r for r in csv.DictReader((tmp_path / "out" / "grades.csv").open())}
    assert grades["jonesbob_1002"]["late"] == "late" and grades["smithalice_1001"]["late"] == ""
    report = (tmp_path / "out" / "report.html").read_text()  # the late flag, and the roster's names
    assert re.search(r'data-student="jonesbob_1002"[^>]*data-late="1"', report)
    assert re.search(r'data-student="smithalice_1001"[^>]*data-late="0"', report)
    assert "Jones, Bob" in report and "1 of them late" in report
    late = [r for r in csv.DictReader((tmp_path / "out" / "misconceptions.csv").open()) if r["student"] == "jonesbob_1002"]
    assert late and all(r["late"] == "late" and r["name"] == "Jones, Bob" for r in late)
    # The feedback pages go back as Canvas's re-upload takes them: named by the download's own head,
    # whose first two all-digit parts are the student's Canvas ID and the graded file's attachment ID.
    with zipfile.ZipFile(tmp_path / "out" / "canvas_feedback.zip") as archive:
        names = sorted(archive.namelist())
        assert names == ["jonesbob_LATE_1002_557_feedback.html", "smithalice_1001_556_feedback.html"]
        placed = [[part for part in name.split("_") if part.isdigit()][:2] for name in names]
        assert placed == [["1002", "557"], ["1001", "556"]]
        assert archive.read(names[1]) == (tmp_path / "out" / "students" / "smithalice_1001" / "feedback.html").read_bytes()
    assert "canvas_feedback.zip" in run.stdout


def test_a_roster_never_gets_a_grade_written_against_the_wrong_row(tmp_path):
    """A folder named otherwise than its roster row (dave for ddavis) stops the run before any grading,
    naming both sides and the closest row; with a mapping file it is graded onto that row, and
    --zero-missing zeroes only the roster's students with no folder at all."""
    subs = tmp_path / "subs"
    for student in ("alice", "dave"):
        (subs / student).mkdir(parents=True)
        (subs / student / "linear_regression.py").write_bytes((DEMO / student / "linear_regression.py").read_bytes())
    (subs / "frank").mkdir()
    (subs / "frank" / "linreg.py").write_bytes((DEMO / "frank" / "linreg.py").read_bytes())
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,HW\n"
                      "\"Smith, Alice\",1001,S-1,alice,A,\n\"Davis, Dave\",1004,S-4,ddavis,A,\n"
                      "\"Frank, Fred\",1006,S-6,frank,A,\n\"Absent, Carl\",1003,S-3,carl,A,\n")
    refused = _grade(subs, tmp_path / "a", "--roster", str(roster), "--zero-missing")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "dave: no roster row; closest: Davis, Dave (ddavis" in refused.stderr and "dave,ddavis" in refused.stderr
    assert not (tmp_path / "a").exists(), "nothing is written for a class the roster does not account for"
    mapping = tmp_path / "map.csv"
    mapping.write_text("folder,roster\ndave,ddavis\n")
    graded = _grade(subs, tmp_path / "b", "--roster", str(roster), "--roster-map", str(mapping), "--zero-missing")
    assert graded.returncode == 0, graded.stderr[-2000:]
    assert "1 student(s) have no folder at all: Absent, Carl; they get 0" in graded.stderr
    rows = {r[1]: r for r in csv.reader((tmp_path / "b" / "canvas.csv").open())}
    assert rows["1004"][-1] == f"{_results(tmp_path / 'b', 'dave')['score']:g}" == "27"
    assert rows["1006"][-1] == "0" and rows["1003"][-1] == "0" and rows["1001"][-1] == "41"
    two = tmp_path / "two.csv"
    two.write_text("folder,roster\ndave,alice\n")
    clash = _grade(subs, tmp_path / "c", "--roster", str(roster), "--roster-map", str(two))
    assert clash.returncode == 2 and "alice, dave: all match Smith, Alice" in clash.stderr


def test_a_wrong_assignment_name_or_an_empty_folder_is_an_error_not_zeros(tmp_path):
    wrong = _grade(DEMO, tmp_path / "a", assignment="softmax_regression")
    assert wrong.returncode == 2, wrong.stderr
    assert "none of the 6 student folders holds softmax_regression.py or softmax_regression.ipynb" in wrong.stderr
    (tmp_path / "empty").mkdir()
    empty = _grade(tmp_path / "empty", tmp_path / "b")
    assert empty.returncode == 2 and "no student folders" in empty.stderr, empty.stderr



def test_help_lists_the_commands_for_people_and_not_the_bundles_own():
    run = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, cwd=KIT)
    assert run.returncode == 0 and "gradescope-run" not in run.stdout
    assert all(command in run.stdout for command in ("grade", "selftest", "release", "gradescope", "nbgrader"))


def test_a_regrade_into_a_used_output_folder_holds_only_the_class_graded(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    for student in ("alice", "bob"):
        (subs / student).mkdir(parents=True)
        (subs / student / "linear_regression.py").write_bytes((DEMO / student / "linear_regression.py").read_bytes())
    assert _grade(subs, out, "--devices", "cpu").returncode == 0
    (out / "students" / "ta_notes").mkdir()
    (out / "students" / "ta_notes" / "todo.txt").write_text("not the kit's")
    shutil.rmtree(subs / "bob")
    again = _grade(subs, out, "--devices", "cpu")
    assert again.returncode == 0 and "removed the results of 1 student(s)" in again.stderr and "bob" in again.stderr
    assert sorted(p.name for p in (out / "students").iterdir()) == ["alice", "ta_notes"]
    assert [r["student"] for r in csv.DictReader((out / "grades.csv").open())] == ["alice"]
