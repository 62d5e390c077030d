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
from autograder.report.grades_csv import write_grades
from autograder.report.class_view import class_view
from autograder.report.html import write_report
from autograder.report.misconceptions_csv import write_misconceptions
from autograder.report.layout import remove_stale
from autograder.report.changes import NAME as CHANGES, compare, rows as change_rows, summary as changes_summary, write_changes
from autograder.grade import stored
from autograder.grade.shards import Shard
from autograder.grade.stored import GraderKey, entry_key
from autograder.report.progress import Progress
from autograder.report.student_files import write_student_files
from autograder.report.summary import summary_table
from autograder.sandbox.errors import clean_text
from autograder.sandbox.grader_side.forker import Template

log = logging.getLogger("autograder")
SHARDS = "shards"
"""OUT/shards/: each shard's grader.log and changes, which ``autograder merge`` gathers."""


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
         canvas_column: str | None = None, zero_missing: bool = False, shard: Shard | None = None) -> GradeReport:
    """Grade every student folder in ``submissions`` and write the reports to ``out``.

    Args:
        submissions: a folder holding one folder per student, each with ``<assignment>.py``.
        assignment: the assignment's name, such as ``linear_regression``.
        out: where ``grades.csv`` and ``students/<student>/results.json`` go (created if missing). A
            student whose graded.json there was graded from the same file by the same grader is not
            graded again (stored.py): a run resumes, and a regrade redoes only what changed.
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
        shard: grade only this part of the class (shards.py), writing only the students' files;
            ``autograder merge`` writes the class's files once every part is done.
    """
    Template.get()  # imports torch in the background while this process loads the checks
    found = find_kit(kit)
    found.require(assignment)
    out = Path(out)
    log_path = out / "grader.log" if shard is None else out / SHARDS / f"grader-{shard.label}.log"
    run = RunRecipe(found.root, assignment, Path(config or found.config_path), tuple(devices or ()),
                    log_path=log_path).load()
    require_devices_before_grading(run.plan.config.run.devices)
    listed = read_roster(Path(roster), roster_map) if roster else None

    entries, warnings = discover(Path(submissions), assignment, _released_stubs(found, assignment))
    _refuse_a_class_with_no_file(entries, warnings, Path(submissions), assignment)
    # Before any grading: a folder the roster does not account for stops the run with both sides named.
    matched = match([e.student for e in entries], listed) if listed is not None else None
    outputs = _ClassOutputs(out, quiet, roster, matched, canvas_column or assignment, zero_missing)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    grader = grader_key(run)
    mine = [e for e in entries if shard is None or shard.holds(e.student)]
    say = _say(quiet)
    with logging_to(run.recipe.log_path):
        for warning in warnings:
            say(f"warning: {clean_text(warning, 500)}")
        graded, changes, regraded = _grade_students(mine, run, canary_submission(found, assignment), workers,
                                                    out, grader, quiet, shard)
        if shard is not None:
            write_changes(change_rows(changes), out / SHARDS / f"changes-{shard.label}.csv")
            if not quiet:
                print(f"Shard {shard}: {len(graded)} of the class's {len(entries)} students are graded in "
                      f"{out}/students/. When every shard is done: autograder merge {assignment} {submissions} "
                      f"--out {out}" + (f" --roster {roster}" if roster else ""))
        else:
            if regraded:
                say(f"note: {changes_summary(changes, regraded)}" + (f" (see {out / CHANGES})" if changes else ""))
            write_class_outputs(graded, run.plan, outputs, change_rows(changes) if changes else None)
    return GradeReport(tuple(graded), tuple(warnings), outputs.out)


def grader_key(run) -> GraderKey:
    plan = run.plan
    return GraderKey.of(run.recipe.kit, plan.assignment, run.recipe.config_path, plan.config.run.seed,
                        tuple(plan.config.run.devices))


def _say(quiet: bool):
    return (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))


def _grade_students(entries, run, canary, workers, out: Path, grader: GraderKey, quiet: bool,
                    shard: Shard | None) -> tuple[list[GradedSubmission], list, int]:
    """Each student's result: reused where their graded.json holds one under the same key, graded
    otherwise (each student's files written as their result arrives: a run stopped midway keeps
    them). Returns the results by student, what changed for the students graded over an earlier
    result, and how many those were."""
    plan = run.plan
    log.info("grading %s on %s with run seed %d%s", plan.assignment, ", ".join(plan.config.run.devices),
             plan.config.run.seed, f", shard {shard}" if shard else "")
    keys = {e.student: entry_key(e, grader) for e in entries}
    graded, todo, previous = [], [], {}
    for entry in entries:
        earlier = stored.read(out, entry.student)
        kept = stored.reusable(out, entry, keys[entry.student], earlier)
        if kept is not None:
            graded.append(kept)
            continue
        todo.append(entry)
        if earlier is not None:
            previous[entry.student] = earlier[1]
    if graded:
        log.info("%d student(s) kept from an earlier run in %s (same file, same grader)", len(graded), out)
        if not quiet:
            print(f"{len(graded)} of {len(entries)} student(s) already graded in {out} with the same file and grader: "
                  f"kept; grading the other {len(todo)}", file=sys.stderr, flush=True)
    fresh = []
    if todo:
        workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        progress = None if quiet else Progress(len(todo))
        for result in grade_entries(todo, run, workers, canary):
            result = write_student_files(result, out)
            try:
                stored.write(result, keys[result.student], out)
            except OSError as exc:
                log.error("could not keep the result of %s for the next run: %s", result.student, exc)
            fresh.append(result)
            log.info("graded %s: %g/%g", result.student, result.score, result.max_score)
            if progress:
                progress.advance(f"{result.student}: {result.score:g}/{result.max_score:g}")
    changes = compare(previous, [g for g in fresh if g.student in previous])
    graded = sorted(graded + fresh, key=lambda g: g.student)
    return graded, changes, sum(1 for g in fresh if g.student in previous)


def write_class_outputs(graded: list[GradedSubmission], plan, outputs: _ClassOutputs,
                        changes: list[list[str]] | None) -> None:
    """The class's files, from every student's result: grades.csv, misconceptions.csv, report.html,
    canvas.csv, the feedback zip and, where a regrade changed someone's points, changes.csv (its rows
    in ``changes``; an earlier one is removed otherwise). ``autograder merge`` writes them the same
    way from the shards' results."""
    out, say = outputs.out, _say(outputs.quiet)
    graded = sorted(graded, key=lambda g: g.student)
    stale = remove_stale(out, {g.student for g in graded})
    if stale:
        say(f"note: removed the results of {len(stale)} student(s) of an earlier grading in {out} who are not in "
            f"this class: {clean_text(', '.join(stale), 2000)}")
    if changes:
        write_changes(changes, out / CHANGES)
    elif (out / CHANGES).is_file():
        (out / CHANGES).unlink()
    grades = write_grades(graded, out)
    names, absent = _roster_names(outputs.matched)
    view = class_view(graded, plan.assignment, names, absent)
    misconceptions = write_misconceptions(view, out)
    report = write_report(graded, view, out)
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
              f"  grades:        {grades} (Canvas import: {canvas}; causes per student: {misconceptions.name})\n"
              f"  per student:   {out}/students/<student>/feedback.html and results.json"
              + (f"\n  to students:   {feedback_zip} (Canvas: the assignment's Re-Upload Submissions; "
                 "each page becomes a comment)" if feedback_zip else "")
              + (f"\n  changes:       {out / CHANGES} (who went up or down since the last grading here)"
                 if changes else ""))


def _roster_names(matched: Matched | None) -> tuple[dict[str, str], tuple[str, ...]]:
    """Each folder's name on the roster, and the roster's students with no folder."""
    if matched is None:
        return {}, ()
    names = {folder: (row.get("Student") or "").strip() for folder, row in matched.rows.items()}
    return {k: v for k, v in names.items() if v}, tuple((row.get("Student") or "").strip() for row in matched.absent)


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
