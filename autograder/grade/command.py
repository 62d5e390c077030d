"""``autograder grade`` and Gradescope's upload: the pipeline with its inputs and its outputs.

    main:      find the files -> grade_entries (pipeline.py) -> each student's files as they arrive
               -> grades.csv, report.html, canvas.csv, grader.log
    grade_one: find the file  -> grade_entries -> the one result, nothing written
"""
from __future__ import annotations

import functools
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.release import build as build_release
from autograder.grade.canary import canary_submission
from autograder.grade.judge import require_devices_before_grading
from autograder.grade.pipeline import RunRecipe, grade_entries
from autograder.grade.run_log import logging_to
from autograder.grade.scoring import GradedSubmission
from autograder.grade.submission import NothingToGrade, discover
from autograder.integrations.canvas import write_canvas
from autograder.integrations.canvas_feedback import write_feedback_zip
from autograder.integrations.roster import Matched, match, read_roster
from autograder.kit import find_kit
from autograder.report import plots
from autograder.report.grades_csv import write_grades
from autograder.report.html import write_report
from autograder.report.layout import remove_stale
from autograder.report.progress import Progress
from autograder.report.student_files import write_student_files
from autograder.report.summary import summary_table
from autograder.sandbox.errors import clean_text
from autograder.sandbox.grader_side.forker import Template

log = logging.getLogger("autograder")


@dataclass(frozen=True)
class GradeReport:
    graded: tuple[GradedSubmission, ...]
    warnings: tuple[str, ...]
    out: Path


@dataclass(frozen=True)
class _ClassOutputs:
    """Where a class's results go, and how the command was asked to show them."""

    out: Path
    quiet: bool
    roster: Path | None
    matched: Matched | None
    """Each student folder's roster row, and the rows with no folder (None without a roster)."""
    canvas_column: str
    zero_missing: bool


def main(*, submissions: Path, assignment: str, out: Path, kit: Path | None = None,
         config: Path | None = None, devices: list[str] | None = None, workers: int | None = None,
         quiet: bool = False, roster: Path | None = None, roster_map: Path | None = None,
         canvas_column: str | None = None, zero_missing: bool = False) -> GradeReport:
    """Grade every student folder in ``submissions`` and write the reports to ``out``.

    Args:
        submissions: a folder holding one folder per student, each with ``<assignment>.py``.
        assignment: the assignment's name, such as ``linear_regression``.
        out: where ``grades.csv`` and ``students/<student>/results.json`` go (created if missing).
        kit: the kit folder (grading.toml, solutions/, tests/graded/); found if omitted.
        config: another grading.toml instead of the kit's.
        devices: override grading.toml's devices, such as ``["cpu"]``.
        workers: submissions graded at once (default: the number of CPU cores).
        quiet: print nothing but errors.
        roster: Canvas's gradebook export, to put the students' Canvas identifiers in canvas.csv. Every
            folder must match one row (roster.py), or nothing is graded.
        roster_map: a CSV of 'folder,roster' lines for folders named otherwise than their row.
        canvas_column: the Canvas assignment column, such as "HW2 (12345)" (default: the assignment).
        zero_missing: give the roster's students with no folder at all a 0 in canvas.csv.
    """
    Template.get()  # imports torch in the background while this process loads the checks
    found = find_kit(kit)
    found.require(assignment)
    out = Path(out)
    run = RunRecipe(found.root, assignment, Path(config or found.config_path), tuple(devices or ()),
                    log_path=out / "grader.log").load()
    require_devices_before_grading(run.plan.config.run.devices)
    listed = read_roster(Path(roster), roster_map) if roster else None

    entries, warnings = discover(Path(submissions), assignment, _released_stubs(found, assignment))
    _refuse_a_class_with_no_file(entries, warnings, Path(submissions), assignment)
    # Before any grading: a folder the roster does not account for stops the run with both sides named.
    matched = match([e.student for e in entries], listed) if listed is not None else None
    outputs = _ClassOutputs(out, quiet, roster, matched, canvas_column or assignment, zero_missing)
    outputs.out.mkdir(parents=True, exist_ok=True)
    with logging_to(run.recipe.log_path):
        graded = _grade_class(entries, warnings, run, canary_submission(found, assignment), workers, outputs)
    return GradeReport(tuple(graded), tuple(warnings), outputs.out)


def _grade_class(entries, warnings, run, canary, workers, outputs: _ClassOutputs) -> list[GradedSubmission]:
    plan, out = run.plan, outputs.out
    log.info("grading %s on %s with run seed %d", plan.assignment, ", ".join(plan.config.run.devices), plan.config.run.seed)
    say = (lambda *a: None) if outputs.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    for warning in warnings:
        say(f"warning: {clean_text(warning, 500)}")
    graded = []
    workers = max(1, min(workers or os.cpu_count() or 1, len(entries) or 1))
    progress = None if outputs.quiet else Progress(len(entries))
    # Each student's files are written as their result arrives: a run stopped midway keeps them.
    for result in grade_entries(entries, run, workers, canary, meanwhile=plots.preload):
        result = write_student_files(result, out)
        graded.append(result)
        if progress:
            progress.advance(f"{result.student}: {result.score:g}/{result.max_score:g}")
    stale = remove_stale(out, {g.student for g in graded})
    if stale:
        say(f"note: removed the results of {len(stale)} student(s) of an earlier grading in {out} who are not in "
            f"this class: {clean_text(', '.join(stale), 2000)}")
    grades = write_grades(graded, out)
    report = write_report(graded, plan.assignment, out)
    canvas = _write_canvas(graded, outputs)
    feedback_zip, left_out = write_feedback_zip(graded, out)
    if feedback_zip and left_out:
        say(f"warning: {len(left_out)} student(s) not from Canvas's download have no page in {feedback_zip}: "
            f"{clean_text(', '.join(left_out), 2000)}")
    missing = sorted({m for g in graded for m in g.missing_protections})
    for item in missing:
        say(f"warning: sandbox: not in force on {item}")
    if not outputs.quiet:
        print(summary_table(graded))
        if graded and not missing and any(g.protections for g in graded):
            print("\nSandbox: every protection was in force (see extra_data.sandbox in results.json).")
        print(f"\nGraded {len(graded)} submission{'' if len(graded) == 1 else 's'} of {plan.assignment} on {', '.join(plan.config.run.devices)} "
              f"(run seed {plan.config.run.seed}; the reference got full marks first).\n"
              f"  class report:  {report}\n"
              f"  grades:        {grades} (Canvas import: {canvas})\n"
              f"  per student:   {out}/students/<student>/feedback.html and results.json"
              + (f"\n  to students:   {feedback_zip} (Canvas: the assignment's Re-Upload Submissions; "
                 "each page becomes a comment)" if feedback_zip else ""))
    return graded


def _write_canvas(graded: list[GradedSubmission], outputs: _ClassOutputs) -> Path:
    canvas = write_canvas(graded, outputs.out, outputs.canvas_column, outputs.matched, outputs.zero_missing)
    if outputs.matched is not None and outputs.matched.absent:
        absent = [(row.get("Student") or "").strip() for row in outputs.matched.absent]
        print(f"warning: {outputs.roster}: {len(absent)} student(s) have no folder at all: "
              f"{clean_text('; '.join(absent), 2000)}"
              + (f"; they get 0 in {canvas}" if outputs.zero_missing else f" (--zero-missing gives them 0 in {canvas})"),
              file=sys.stderr)
    return canvas


def grade_one(*, submissions: Path, assignment: str, kit: Path | None = None, config: Path | None = None,
              devices: list[str] | None = None) -> GradedSubmission:
    """Grade the one student folder in ``submissions`` (Gradescope's upload) and return its result,
    writing nothing: the same file choice, canary, judge and scoring as ``main``, without the class's
    reports. CanaryFailed when the reference does not get full marks here."""
    Template.get()
    found = find_kit(kit)
    found.require(assignment)
    run = RunRecipe(found.root, assignment, Path(config or found.config_path), tuple(devices or ())).load()
    entries, _ = discover(Path(submissions), assignment, _released_stubs(found, assignment))
    if len(entries) != 1:
        raise NothingToGrade(f"{submissions}: expected one student folder, found {len(entries)}")
    (graded,) = grade_entries(entries, run, 1, canary_submission(found, assignment))
    return graded


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
