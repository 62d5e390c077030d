"""Does every submission in the corpus get the grade it deserves?

All scenarios of an assignment are graded in one real batch run (`autograder grade`,
worker processes, student code in its own process). Then, per scenario:
correct variants get full marks; a bug costs points only on checks that exercise
the function at fault; broken files cost what they break, with a clear message.
"""
import json
import os
import re
from pathlib import Path

import pytest

from autograder import grade
from corpus_support import KIT, check_id, expectation_problems, graded_tests, kit_assignments, scenarios

pytestmark = pytest.mark.slow

ASSIGNMENTS = kit_assignments()
ALL = [s for a in ASSIGNMENTS for s in scenarios(a)]
# On a GPU machine: AUTOGRADER_TEST_DEVICES=cpu,cuda grades the corpus on both.
DEVICES = os.environ.get("AUTOGRADER_TEST_DEVICES", "cpu").split(",")


def _fast_config(tmp: Path) -> Path:
    """The kit's grading.toml with a shorter call timeout, so that endless loops end sooner."""
    text = (KIT / "grading.toml").read_text(encoding="utf-8")
    text = re.sub(r"^call_timeout_s = .*$", "call_timeout_s = 5.0", text, flags=re.M)
    path = tmp / "grading.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    results = {}
    for assignment in ASSIGNMENTS:
        tmp = tmp_path_factory.mktemp(f"corpus-{assignment}")
        subs = tmp / "submissions"
        for s in scenarios(assignment):
            folder = subs / s.name
            folder.mkdir(parents=True)
            (folder / f"{assignment}.py").write_text(s.source(), encoding="utf-8")
        reference = subs / "the_reference"
        reference.mkdir()
        (reference / f"{assignment}.py").write_bytes(
            (KIT / "solutions" / assignment / f"{assignment}.py").read_bytes())
        stub = subs / "the_stub"
        stub.mkdir()
        (stub / f"{assignment}.py").write_bytes(
            (KIT / "assignments" / assignment / f"{assignment}.py").read_bytes())
        out = tmp / "out"
        grade.main(submissions=subs, assignment=assignment, out=out, kit=KIT, config=_fast_config(tmp),
                   devices=DEVICES, workers=2, quiet=True)
        for folder in subs.iterdir():
            results[(assignment, folder.name)] = json.loads((out / "students" / folder.name / "results.json").read_text())
    return results


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(graded, assignment):
    result = graded[(assignment, "the_reference")]
    failed = [check_id(t) for t in graded_tests(result) if t["status"] != "passed"]
    assert not failed and result["score"] == result["extra_data"]["max_score"] > 0, failed


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_stub_gets_zero_and_says_not_implemented(graded, assignment):
    result = graded[(assignment, "the_stub")]
    assert result["score"] == 0
    assert all("not implemented yet" in t["output"] for t in result["tests"]), \
        [t["output"] for t in result["tests"] if "not implemented yet" not in t["output"]][:2]


@pytest.mark.parametrize("scenario", ALL, ids=[f"{s.assignment}/{s.name}" for s in ALL])
def test_scenario_is_graded_as_expected(graded, scenario):
    problems = expectation_problems(scenario, graded[(scenario.assignment, scenario.name)])
    assert not problems, problems


@pytest.mark.parametrize("scenario", ALL, ids=[f"{s.assignment}/{s.name}" for s in ALL])
def test_feedback_teaches(graded, scenario):
    """Every failure says what happened in words: no traceback, no bare 'assertion failed',
    and never an internal error of the kit."""
    result = graded[(scenario.assignment, scenario.name)]
    for test in result["tests"]:
        if test["status"] == "passed":
            continue
        output = test["output"]
        assert "Traceback" not in output and "assertion failed" not in output.lower(), output
        assert test["extra_data"]["kind"] != "internal", output
        assert len(output.splitlines()) >= 2, output


def test_evil_reduce_never_ran(graded):
    assert not Path("/tmp/pwned-by-corpus").exists()
