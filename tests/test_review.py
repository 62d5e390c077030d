"""Review as a workflow: a file whose top level patches what the watch relies on loses every function,
without its checks being run; an instructor who has read it clears the flag, and the regrade grades
it normally and says who cleared it (grade/judge.py, grade/usage.py, grade/review.py)."""
import json
import shutil
from pathlib import Path

import pytest

from autograder import grade
from autograder.grade import review
from corpus_support import KIT

pytestmark = pytest.mark.slow

ASSIGNMENT = "linear_regression"
# An honest look-alike of tampering: silencing the book's prints by replacing builtins.print. It leaves
# a watched namespace changed, which the watch cannot tell from a patch made against it.
SILENCED = ("import builtins\n_print = builtins.print\nbuiltins.print = lambda *args, **kwargs: None\n\n"
            + (KIT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.py").read_text(encoding="utf-8"))


def _grade(tmp_path: Path, config: Path, out: str) -> dict:
    subs = tmp_path / "submissions"
    if not subs.exists():
        (subs / "quiet").mkdir(parents=True)
        (subs / "quiet" / f"{ASSIGNMENT}.py").write_text(SILENCED, encoding="utf-8")
    grade.main(submissions=subs, assignment=ASSIGNMENT, out=tmp_path / out, kit=KIT, config=config,
               devices=["cpu"], workers=1, quiet=True)
    return json.loads((tmp_path / out / "students" / "quiet" / "results.json").read_text(encoding="utf-8"))


def test_a_patching_top_level_loses_every_check_unrun_until_an_instructor_clears_it(tmp_path):
    config = tmp_path / "grading.toml"
    shutil.copy(KIT / "grading.toml", config)

    flagged = _grade(tmp_path, config, "out")
    assert flagged["score"] == 0
    tests = flagged["tests"]
    assert all(t["status"] == "failed" and t["extra_data"]["kind"] == "tampering" for t in tests)
    assert all("builtins.print" in t["output"] and "review" in t["output"] for t in tests), tests[0]["output"]
    # Only the first check ran (it started the process, which reported the patch); none after it.
    not_run = [t for t in tests if "Not run: your file's top level changed the grader's watch" in t["output"]]
    assert len(not_run) == len(tests) - 1, [t["output"][-200:] for t in tests if t not in not_run]
    assert all(v["flags"] for v in flagged["extra_data"]["usage"].values())

    review.clear(config, assignment=ASSIGNMENT, student="quiet", digest=review.digest_from(tmp_path / "out", "quiet"),
                 reason="it only silences print", by="TA")
    cleared = _grade(tmp_path, config, "out-cleared")
    assert cleared["score"] == cleared["extra_data"]["max_score"] > 0, \
        [t["output"][:300] for t in cleared["tests"] if t["status"] != "passed"]
    usage = cleared["extra_data"]["usage"]
    assert usage and all(v["cleared"]["reason"] == "it only silences print" and v["cleared"]["by"] == "TA"
                         for v in usage.values())
