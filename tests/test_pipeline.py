"""The pipeline grades entries into typed results and writes nothing; the command writes them."""
import ast
from pathlib import Path

import pytest
from corpus_support import KIT

from autograder.grade import pipeline
from autograder.grade.canary import canary_submission
from autograder.grade.pipeline import RunRecipe, grade_entries
from autograder.grade.scoring import GradedSubmission
from autograder.grade.submission import discover
from autograder.kit import Kit

ASSIGNMENT = "linear_regression"


def _snapshot(folder):
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*"))


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_grading_entries_gives_typed_results_and_writes_nothing(tmp_path, monkeypatch, workers):
    kit = Kit(KIT)
    demo = KIT / "demo" / ASSIGNMENT
    before = _snapshot(demo)
    monkeypatch.chdir(tmp_path)
    entries, _ = discover(demo, ASSIGNMENT, lambda: {})
    run = RunRecipe(KIT, ASSIGNMENT, kit.config_path, ("cpu",)).load()
    graded = list(grade_entries(entries, run, workers, canary_submission(kit, ASSIGNMENT)))
    assert all(isinstance(g, GradedSubmission) for g in graded)
    assert sorted(g.student for g in graded) == sorted(e.student for e in entries)
    assert {g.student: g.score for g in graded}["alice"] == 41  # demo/expected_scores.toml
    assert list(tmp_path.iterdir()) == [] and _snapshot(demo) == before
    assert pipeline._this_worker is None


def test_the_pipeline_imports_no_writer():
    """What is written, and where, is the command's and the integrations' business."""
    tree = ast.parse(Path(pipeline.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "autograder.grade.judge" in imported  # the parse read the pipeline's imports at all
    assert not {m for m in imported if m.startswith(("autograder.report", "autograder.integrations"))}
