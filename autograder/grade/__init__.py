"""``autograder grade``: the grading pipeline, stage by stage.

    discover (submission.py) -> judge (judge.py) -> score (scoring.py) -> report (report/)
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from autograder.checks.registry import load_checks
from autograder.config import load_config
from autograder.judge import GradingPlan, judge
from autograder.kit import find_kit
from autograder.report.gradescope import write_results
from autograder.report.grades_csv import write_grades
from autograder.report.progress import Progress
from autograder.report.summary import summary_table
from autograder.sandbox.runner import Template
from autograder.scoring import GradedSubmission, score
from autograder.submission import discover


@dataclass(frozen=True)
class GradeReport:
    graded: tuple[GradedSubmission, ...]
    warnings: tuple[str, ...]
    out: Path


def main(*, submissions: Path, assignment: str, out: Path, kit: Path | None = None,
         config: Path | None = None, devices: list[str] | None = None, workers: int | None = None,
         quiet: bool = False) -> GradeReport:
    """Grade every student folder in ``submissions`` and write the reports to ``out``.

    Args:
        submissions: a folder holding one folder per student, each with ``<assignment>.py``.
        assignment: the assignment's name, such as ``linear_regression``.
        out: where ``grades.csv`` and ``<student>/results.json`` go (created if missing).
        kit: the kit folder (grading.toml, solutions/, tests/graded/); found if omitted.
        config: another grading.toml instead of the kit's.
        devices: override grading.toml's devices, such as ``["cpu"]``.
        workers: submissions graded at once (default: the number of CPU cores).
        quiet: print nothing but errors.
    """
    found = find_kit(kit)
    found.require(assignment)
    config_path = Path(config or found.config_path)
    plan = _plan(found.root, assignment, config_path, tuple(devices or ()))

    entries, warnings = discover(Path(submissions), assignment)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _log_to(out / "grader.log")
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    for warning in warnings:
        say(f"warning: {warning}")
    graded = []
    workers = max(1, min(workers or os.cpu_count() or 1, len(entries) or 1))
    progress = None if quiet else Progress(len(entries))
    for result in _grade_all(entries, plan, found.root, config_path, workers):
        write_results(result, out)
        graded.append(result)
        if progress:
            progress.advance(f"{result.student}: {result.score:g}/{result.max_score:g}")
    grades = write_grades(graded, out)
    missing = sorted({m for g in graded for m in g.protections.get("missing", [])})
    for item in missing:
        print(f"warning: sandbox: not in force: {item}", file=sys.stderr)
    if not quiet:
        print(summary_table(graded))
        if graded and not missing and any(g.protections for g in graded):
            print("\nSandbox: every protection was in force (see extra_data.sandbox in results.json).")
        print(f"\nGraded {len(graded)} submission(s) of {assignment}. Grades: {grades}; "
              f"feedback: {out}/<student>/results.json")
    return GradeReport(tuple(graded), tuple(warnings), out)


def _plan(root: Path, assignment: str, config_path: Path, devices: tuple[str, ...]) -> GradingPlan:
    found = find_kit(root)
    cfg = load_config(config_path)
    if devices:
        cfg = cfg.with_devices(list(devices))
    checks = load_checks(found, assignment)
    cfg.validate_checks(assignment, {c.id for c in checks})
    return GradingPlan(assignment, tuple(checks), found.reference(assignment), cfg)


_worker_plan: GradingPlan | None = None


def _init_worker(root, assignment, config_path, devices, log_path) -> None:
    global _worker_plan
    Template.get()  # starts importing torch in the template while this worker loads the plan
    _worker_plan = _plan(root, assignment, config_path, devices)
    _log_to(log_path)


def _grade_one(entry) -> GradedSubmission:
    return score(judge(entry, _worker_plan), _worker_plan.config)


def _grade_all(entries, plan: GradingPlan, root: Path, config_path: Path, workers: int):
    """Each submission on its own; in worker processes when more than one is asked for."""
    if workers == 1:
        Template.get()
        for entry in entries:
            yield score(judge(entry, plan), plan.config)
        return
    log_path = next((Path(h.baseFilename) for h in logging.getLogger("autograder").handlers
                     if isinstance(h, logging.FileHandler)), Path(os.devnull))
    devices = tuple(plan.config.run.devices)
    init = (root, plan.assignment, config_path, devices, log_path)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_init_worker, initargs=init) as pool:
        futures = [pool.submit(_grade_one, entry) for entry in entries]
        for future in as_completed(futures):
            yield future.result()


def _log_to(path: Path) -> None:
    logger = logging.getLogger("autograder")
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path.resolve()
               for h in logger.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
