"""``autograder grade``: the grading pipeline, stage by stage.

    discover (submission.py) -> canary (canary.py) -> judge (judge.py) -> score (scoring.py) -> report (report/)

The canary grades the reference solution through the same path before any student: a
grading machine that cannot give the reference full marks grades nobody.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from autograder.checks.registry import load_checks
from autograder.config import load_config
from autograder.grade.canary import CanaryFailed, canary_problems, canary_submission
from autograder.grade.judge import GradingPlan, grader_failed, judge
from autograder.manifest import read_manifest
from autograder.kit import find_kit
from autograder.authoring.release import build as build_release
from autograder.report.results_json import write_results
from autograder.integrations.canvas import not_submitted, read_roster, write_canvas
from autograder.report.grades_csv import write_grades
from autograder.report import plots
from autograder.report.html import write_feedback, write_report
from autograder.report.progress import Progress
from autograder.report.summary import summary_table
from autograder.sandbox.grader_side.forker import _CAN_FORK, Template
from autograder.grade.scoring import GradedSubmission, score
from autograder.grade.submission import NothingToGrade, discover

log = logging.getLogger("autograder")


@dataclass(frozen=True)
class GradeReport:
    graded: tuple[GradedSubmission, ...]
    warnings: tuple[str, ...]
    out: Path


def main(*, submissions: Path, assignment: str, out: Path, kit: Path | None = None,
         config: Path | None = None, devices: list[str] | None = None, workers: int | None = None,
         quiet: bool = False, roster: Path | None = None, canvas_column: str | None = None,
         zero_missing: bool = False) -> GradeReport:
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
        roster: Canvas's gradebook export, to put the students' Canvas identifiers in canvas.csv.
        canvas_column: the Canvas assignment column, such as "HW2 (12345)" (default: the assignment).
        zero_missing: give the roster's students who handed in nothing a 0 in canvas.csv.
    """
    Template.get()  # imports torch in the background while this process loads the checks
    found = find_kit(kit)
    found.require(assignment)
    config_path = Path(config or found.config_path)
    plan = _plan(found.root, assignment, config_path, tuple(devices or ()))
    roster_rows = read_roster(Path(roster)) if roster else None

    entries, warnings = discover(Path(submissions), assignment, _released_stubs(found, assignment))
    _refuse_a_class_with_no_file(entries, warnings, Path(submissions), assignment)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with _logging_to(out / "grader.log"):
        graded = _grade_class(entries, warnings, plan, found, config_path, out, workers, quiet, roster, roster_rows,
                              canvas_column, zero_missing)
    return GradeReport(tuple(graded), tuple(warnings), out)


def _grade_class(entries, warnings, plan, found, config_path, out, workers, quiet, roster, roster_rows,
                 canvas_column, zero_missing) -> list[GradedSubmission]:
    assignment = plan.assignment
    log.info("grading %s on %s with run seed %d", assignment, ", ".join(plan.config.run.devices), plan.config.run.seed)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    for warning in warnings:
        say(f"warning: {warning}")
    graded = []
    workers = max(1, min(workers or os.cpu_count() or 1, len(entries) or 1))
    progress = None if quiet else Progress(len(entries))
    canary = canary_submission(found, assignment)
    for result in _grade_all(entries, plan, found.root, config_path, workers, out, canary):
        graded.append(result)
        if progress:
            progress.advance(f"{result.student}: {result.score:g}/{result.max_score:g}")
    grades = write_grades(graded, out)
    report = write_report(graded, assignment, out)
    canvas, unknown = write_canvas(graded, out, canvas_column or assignment, roster_rows, zero_missing)
    if roster_rows is not None:
        absent = [(row.get("Student") or "").strip() for row in not_submitted(graded, roster_rows)]
        if absent:
            print(f"warning: {roster}: {len(absent)} student(s) handed in nothing: {'; '.join(absent)}"
                  + (f"; they get 0 in {canvas}" if zero_missing else f" (--zero-missing gives them 0 in {canvas})"),
                  file=sys.stderr)
    if unknown:
        print(f"warning: {roster}: no roster row for {', '.join(unknown)}; they are missing from {canvas}",
              file=sys.stderr)
    missing = sorted({m for g in graded for m in g.missing_protections})
    for item in missing:
        say(f"warning: sandbox: not in force on {item}")
    if not quiet:
        print(summary_table(graded))
        if graded and not missing and any(g.protections for g in graded):
            print("\nSandbox: every protection was in force (see extra_data.sandbox in results.json).")
        print(f"\nGraded {len(graded)} submission{'' if len(graded) == 1 else 's'} of {assignment} on {', '.join(plan.config.run.devices)} "
              f"(run seed {plan.config.run.seed}; the reference got full marks first).\n"
              f"  class report:  {report}\n"
              f"  grades:        {grades} (Canvas import: {canvas})\n"
              f"  per student:   {out}/<student>/feedback.html and results.json")
    return graded



def grade_one(*, submissions: Path, assignment: str, kit: Path | None = None, config: Path | None = None,
              devices: list[str] | None = None) -> GradedSubmission:
    """Grade the one student folder in ``submissions`` (Gradescope's upload) and return its result,
    writing nothing: the same file choice, canary, judge and scoring as ``main``, without the class's
    reports. CanaryFailed when the reference does not get full marks here."""
    Template.get()
    found = find_kit(kit)
    found.require(assignment)
    config_path = Path(config or found.config_path)
    plan = _plan(found.root, assignment, config_path, tuple(devices or ()))

    entries, _ = discover(Path(submissions), assignment, _released_stubs(found, assignment))
    if len(entries) != 1:
        raise NothingToGrade(f"{submissions}: expected one student folder, found {len(entries)}")
    _stop_unless_clean(canary_problems(canary_submission(found, assignment), plan, 1), plan)
    return _judge_and_score(entries[0], plan)


def _released_stubs(found, assignment: str):
    """The released, untouched .py and .ipynb, made on first use: a student who handed in both is
    graded on the one that differs from its stub."""
    @functools.cache
    def stubs() -> dict[str, bytes]:
        released = build_release(found, assignment).files
        return {suffix: released[f"{assignment}{suffix}"].encode("utf-8") for suffix in (".py", ".ipynb")
                if f"{assignment}{suffix}" in released}
    return stubs


def _refuse_a_class_with_no_file(entries, warnings, folder: Path, assignment: str) -> None:
    """A whole class with no file of this assignment is a mistake of the command (a wrong
    assignment, the wrong folder), not a class of zeros."""
    if not entries:
        skipped = f" ({len(warnings)} entries skipped: not folders)" if warnings else ""
        raise NothingToGrade(f"{folder}: no student folders to grade{skipped}; expected "
                             f"{folder}/<student>/{assignment}.py (or .ipynb)")
    if all(e.no_file for e in entries):
        held = sorted({p.name for e in entries[:20] for p in (folder / e.student).glob("*") if p.is_file()})
        raise NothingToGrade(
            f"{folder}: none of the {len(entries)} student folders holds {assignment}.py or {assignment}.ipynb"
            + (f" (they hold: {', '.join(held[:8])})" if held else "") + f": is {assignment} the right assignment?")


def _plan(root: Path, assignment: str, config_path: Path, devices: tuple[str, ...]) -> GradingPlan:
    found = find_kit(root)
    cfg = load_config(config_path)
    if devices:
        cfg = cfg.with_devices(list(devices))
    checks = load_checks(found, assignment)
    manifest = read_manifest(found, assignment)
    cfg.validate_checks(assignment, {c.id for c in checks}, manifest.functions)
    return GradingPlan(assignment, tuple(checks), found.reference(assignment), cfg, manifest)


_this_workers_plan: GradingPlan | None = None
"""Set by _init_worker in worker processes only; the grading process itself never sets it."""


def _init_worker(inherited: GradingPlan | None, root, assignment, config_path, devices, log_path) -> None:
    """A worker's start: the plan comes as it is when the worker is forked (initargs are not
    pickled then, so it starts warm), and is loaded again when it is spawned."""
    global _this_workers_plan
    # One worker per core; and a forked worker whose parent ran OpenMP would hang in it.
    torch.set_num_threads(1)
    if inherited is None:
        Template.get()
        inherited = _plan(root, assignment, config_path, devices)
        _log_to(log_path)
    _this_workers_plan = inherited


def _grade_one(entry, plan: GradingPlan, out: Path) -> GradedSubmission:
    """Judge, score and write one student's results.json and feedback.html.

    Whatever goes wrong with one student (a reply that breaks the grader, a full disk) stays
    with that student: it is logged, and their checks say that the grader failed, not them.
    """
    return _written(_judge_and_score(entry, plan), out)


def _written(graded: GradedSubmission, out: Path) -> GradedSubmission:
    """``graded`` after writing its results.json and feedback.html; a write that fails is logged and
    noted in the results, never raised."""
    try:
        write_results(graded, out)
        write_feedback(graded, out)
    except OSError as exc:
        log.error("could not write the results of %s: %s", graded.student, exc)
        graded = replace(graded, notes=graded.notes + (f"The grader could not write these results: {exc}",))
    return graded


def _judge_and_score(entry, plan: GradingPlan) -> GradedSubmission:
    try:
        return score(judge(entry, plan), plan.config)
    except Exception:  # noqa: BLE001 - one student must never stop the class's grading
        log.error("the grader failed on %s:\n%s", entry.student, traceback.format_exc())
        return score(grader_failed(entry, plan), plan.config)


def _grade_in_worker(entry, out: Path, running: str) -> GradedSubmission:
    # Left behind if this worker dies: who it was grading then, for the grader to read.
    marker = Path(running) / str(os.getpid())
    marker.write_text(entry.student, encoding="utf-8")
    try:
        return _grade_one(entry, _this_workers_plan, out)
    finally:  # not reached when the worker is killed, which is the point
        marker.unlink(missing_ok=True)


def _canary_in_worker(entry, workers: int) -> list[str]:
    return canary_problems(entry, _this_workers_plan, workers)


def _fork_is_safe() -> bool:
    """Forked workers share the loaded plan and start at once, but a process that has used CUDA
    or autograd where a GPU is visible cannot fork usable children: on a GPU machine, spawn."""
    return _CAN_FORK and not any(Path("/dev").glob("nvidia[0-9]*"))


def _grade_all(entries, plan: GradingPlan, root: Path, config_path: Path, workers: int, out: Path,
               canary=None):
    """Each submission on its own; in worker processes when more than one is asked for.

    The canary (the reference, as a submission) is graded first, through the same path, and
    CanaryFailed stops the run before any student is graded. On Linux without a GPU the
    workers are forked once the plan is loaded, so they start without importing torch again,
    and they share one warm template. Elsewhere they are spawned.
    """
    Template.get()
    # autograd imports this (and sympy) on the first backward(): half a second that each forked
    # worker would otherwise pay. Importing it starts nothing (no engine, no CUDA).
    import torch.fx.experimental.symbolic_shapes  # noqa: F401
    if workers == 1:
        if canary is not None:
            _stop_unless_clean(canary_problems(canary, plan, 1), plan)
        for entry in entries:
            yield _grade_one(entry, plan, out)
        return
    log_path = next((Path(h.baseFilename) for h in logging.getLogger("autograder").handlers
                     if isinstance(h, logging.FileHandler)), Path(os.devnull))
    devices = tuple(plan.config.run.devices)
    fork = _fork_is_safe()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    init = (plan if fork else None, root, plan.assignment, config_path, devices, log_path)
    remaining, suspects, preloading = list(entries), [], None
    with tempfile.TemporaryDirectory(prefix="autograder-running-") as running:
        for attempt in range(_POOL_ATTEMPTS):
            lost = []
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=init) as pool:
                if canary is not None and attempt == 0:
                    try:
                        problems = pool.submit(_canary_in_worker, canary, workers).result()
                    except BrokenProcessPool:
                        problems = ["a grading worker died while it graded the reference (out of memory?)"]
                    _stop_unless_clean(problems, plan)
                futures = {pool.submit(_grade_in_worker, entry, out, running): entry for entry in remaining}
                if preloading is None:  # the workers exist now: get ready to draw the report meanwhile
                    preloading = threading.Thread(target=plots.preload, daemon=True)
                    preloading.start()
                for future in as_completed(futures):
                    try:
                        yield future.result()
                    except BrokenProcessPool:  # a worker died, and the pool failed all it had not finished
                        lost.append(futures[future])
                    except Exception:  # noqa: BLE001 - a result that could not come back, say
                        log.error("the grader failed on %s:\n%s", futures[future].student, traceback.format_exc())
                        yield _written(score(grader_failed(futures[future], plan), plan.config), out)
            # A fork while that thread holds an import lock gives a child that waits on it forever.
            preloading.join()
            if not lost:
                break
            # Only what the workers were grading when the pool broke can have killed one; the rest
            # go back to a pool, so that one deadly submission does not grade the class one by one.
            in_progress = _read_markers(Path(running))
            suspects += [entry for entry in lost if entry.student in in_progress]
            remaining = [entry for entry in lost if entry.student not in in_progress]
            log.error("a grading worker died while grading %s; %d unfinished submission(s) are graded again",
                      ", ".join(sorted(in_progress)) or "nothing", len(lost))
        else:
            suspects += remaining  # pools kept breaking: everyone left is graded on their own
    for entry in suspects:
        yield _graded_alone(entry, plan, out, context, init)


_POOL_ATTEMPTS = 3
"""Pools tried before every submission left is graded in a worker of its own."""


def _read_markers(running: Path) -> set[str]:
    """The students whose workers died (or were stopped) in the middle of grading them; the markers
    are removed, for the next pool."""
    names = set()
    for marker in running.iterdir():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            names.add(marker.read_text(encoding="utf-8"))
        marker.unlink(missing_ok=True)
    return names


def _graded_alone(entry, plan: GradingPlan, out: Path, context, init) -> GradedSubmission:
    """A submission whose worker died (the grader's own memory ran out, say), graded again in a worker
    of its own; if that dies too, its checks say the grader failed, and the class goes on."""
    log.error("grading %s again in a worker of its own", entry.student)
    with ProcessPoolExecutor(1, mp_context=context, initializer=_init_worker, initargs=init) as pool, \
            tempfile.TemporaryDirectory(prefix="autograder-running-") as running:
        try:
            return pool.submit(_grade_in_worker, entry, out, running).result()
        except BrokenProcessPool:
            log.error("the grading worker died again on %s", entry.student)
    graded = score(grader_failed(entry, plan), plan.config)
    return _written(replace(graded, notes=graded.notes + (
        "The grader's worker process died twice while grading this submission (it may have run out of "
        "memory on what your code returned); tell your instructor.",)), out)


def _stop_unless_clean(problems: list[str], plan: GradingPlan) -> None:
    if problems:
        log.error("canary failed:\n%s", "\n".join(problems))
        raise CanaryFailed(plan.assignment, plan.config.run.devices, problems)


def _log_to(path: Path) -> logging.Handler | None:
    """Send the run's log to ``path``; the handler added, or None if one was there already."""
    logger = logging.getLogger("autograder")
    if any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path.resolve() for h in logger.handlers):
        return None
    logger.setLevel(logging.INFO)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return handler


@contextlib.contextmanager
def _logging_to(path: Path):
    """The run's log goes to ``path`` for the run only: the file is closed after, so that a process
    that grades several times (selftest, tests) neither leaks open files nor logs one run into another."""
    handler = _log_to(path)
    try:
        yield
    finally:
        if handler is not None:
            logging.getLogger("autograder").removeHandler(handler)
            handler.close()
