"""``autograder grade``: the grading pipeline, stage by stage.

    discover (submission.py) -> judge (judge.py) -> score (scoring.py) -> report (report/)
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.checks.registry import load_checks
from autograder.config import load_config
from autograder.judge import GradingPlan, judge
from autograder.kit import find_kit
from autograder.report.gradescope import write_results
from autograder.report.grades_csv import write_grades
from autograder.report.summary import summary_table
from autograder.scoring import GradedSubmission, score
from autograder.submission import discover


@dataclass(frozen=True)
class GradeReport:
    graded: tuple[GradedSubmission, ...]
    warnings: tuple[str, ...]
    out: Path


def main(*, submissions: Path, assignment: str, out: Path, kit: Path | None = None,
         config: Path | None = None, devices: list[str] | None = None, quiet: bool = False) -> GradeReport:
    """Grade every student folder in ``submissions`` and write the reports to ``out``.

    Args:
        submissions: a folder holding one folder per student, each with ``<assignment>.py``.
        assignment: the assignment's name, such as ``linear_regression``.
        out: where ``grades.csv`` and ``<student>/results.json`` go (created if missing).
        kit: the kit folder (grading.toml, solutions/, tests/graded/); found if omitted.
        config: another grading.toml instead of the kit's.
        devices: override grading.toml's devices, such as ``["cpu"]``.
        quiet: print nothing but errors.
    """
    found = find_kit(kit)
    found.require(assignment)
    cfg = load_config(config or found.config_path)
    if devices:
        cfg = cfg.model_copy(update={"run": cfg.run.model_copy(update={"devices": list(devices)})})
    checks = load_checks(found, assignment)
    cfg.validate_checks(assignment, {c.id for c in checks})
    plan = GradingPlan(assignment, tuple(checks), found.reference(assignment), cfg)

    entries, warnings = discover(Path(submissions), assignment)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _log_to(out / "grader.log")
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    for warning in warnings:
        say(f"warning: {warning}")
    graded = []
    for i, entry in enumerate(entries, 1):
        say(f"[{i}/{len(entries)}] grading {entry.student} …")
        result = score(judge(entry, plan), cfg)
        write_results(result, out)
        graded.append(result)
    grades = write_grades(graded, out)
    if not quiet:
        print(summary_table(graded))
        print(f"\nGraded {len(graded)} submission(s) of {assignment}. Grades: {grades}; "
              f"feedback: {out}/<student>/results.json")
    return GradeReport(tuple(graded), tuple(warnings), out)


def _log_to(path: Path) -> None:
    logger = logging.getLogger("autograder")
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path.resolve()
               for h in logger.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
