"""`pytest tests/graded --submission FILE` grades a file as `autograder grade` does: the same
checks fail, for the same students (a slip, ready-made APIs, a tampering tool)."""
import json
import re
import subprocess
import sys

import pytest

from corpus_support import KIT

pytestmark = pytest.mark.slow
STUDENTS = {
    "bob": (KIT / "demo" / "linear_regression" / "bob" / "linear_regression.py").read_text(),
    "erin": (KIT / "demo" / "linear_regression" / "erin" / "linear_regression.py").read_text(),
    "tampers": (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text() + (
        "\n\ndef linreg(X, w, b):\n    import inspect\n    inspect.currentframe().f_back\n    return X @ w + b\n"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("plugin")
    for student, text in STUDENTS.items():
        (base / "class" / student).mkdir(parents=True)
        (base / "class" / student / "linear_regression.py").write_text(text)
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(base / "class"),
                          "--out", str(base / "out"), "--devices", "cpu", "--quiet"],
                         cwd=KIT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return base


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_the_same_checks_fail_as_in_autograder_grade(graded, student):
    result = json.loads((graded / "out" / "students" / student / "results.json").read_text())
    lost = {t["extra_data"]["check_id"] for t in result["tests"] if t["max_score"] > 0 and t["score"] < t["max_score"]}
    assert lost
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/graded/test_linear_regression.py", "-p", "no:randomly",
                          "-q", "-rf", "--submission", str(graded / "class" / student / "linear_regression.py")],
                         cwd=KIT, capture_output=True, text=True, timeout=600)
    failed = set(re.findall(r"^FAILED \S+::test_(\w+)\[cpu\]", run.stdout, re.M))
    assert failed == lost, run.stdout[-3000:]
    if student == "tampers":
        assert "frames (inspect.currentframe), which reach the grader's own frames" in run.stdout
