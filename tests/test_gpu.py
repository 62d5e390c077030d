"""On a GPU: is every corpus file graded as expected on cpu and cuda, and do submissions that abuse
the GPU fail only their own checks? Skipped, with the reason, where there is no CUDA device; the
CPU-side guards of the same path are in test_grading_machine.py.

Run the rest of the corpus on cpu+cuda with AUTOGRADER_TEST_DEVICES=cpu,cuda pytest tests/test_corpus.py.
"""
import json

import pytest
import torch

from autograder import grade
from corpus_support import KIT, expectation_problems, scenarios

pytestmark = [pytest.mark.gpu, pytest.mark.slow,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")]

HOSTILE = scenarios("hostile_gpu")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gpu")
    subs = tmp / "submissions"
    for s in HOSTILE:
        (subs / s.name).mkdir(parents=True)
        (subs / s.name / "linear_regression.py").write_text(s.source(), encoding="utf-8")
    (subs / "honest").mkdir()
    (subs / "honest" / "linear_regression.py").write_bytes(
        (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes())
    grade.main(submissions=subs, assignment="linear_regression", out=tmp / "out", kit=KIT,
               devices=["cpu", "cuda"], workers=2, quiet=True)
    return {folder.name: json.loads((tmp / "out" / "students" / folder.name / "results.json").read_text())
            for folder in subs.iterdir()}


@pytest.mark.parametrize("scenario", HOSTILE, ids=[s.name for s in HOSTILE])
def test_gpu_abuse_fails_only_its_own_checks(graded, scenario):
    result = graded[scenario.name]
    assert not expectation_problems(scenario, result), expectation_problems(scenario, result)
    failed = [t for t in result["tests"] if t["status"] == "failed"]
    assert all(t["extra_data"]["failed_on"] == ["cuda"] for t in failed), [t["output"] for t in failed][:2]


def test_the_honest_student_beside_them_gets_full_marks(graded):
    result = graded["honest"]
    assert result["score"] == result["extra_data"]["max_score"] > 0
    assert "cuda" in result["extra_data"]["sandbox"]
