"""``autograder grade`` and Gradescope's upload: the pipeline with its inputs and its outputs.

    main:      find the files -> grade_entries (pipeline.py) -> each student's files as they arrive
               -> grades.csv, report.html, canvas.csv, grader.log
    grade_one: find the file  -> grade_entries -> the one result, nothing written
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.grade.canary import canary_submission
from autograder.grade.class_files import (SHARDS, ClassOutputs, refuse_a_class_with_no_file, released_stubs,
                                          say_unless, write_class_outputs)
from autograder.grade.judge import require_devices_before_grading
from autograder.grade.pipeline import RunRecipe, grade_entries
from autograder.grade.run_log import logging_to
from autograder.grade.scoring import GradedSubmission
from autograder.grade.submission import NothingToGrade, discover
from autograder.integrations.roster import match, read_roster
from autograder.kit import find_kit
from autograder.report.changes import NAME as CHANGES, compare, rows as change_rows, summary as changes_summary, write_changes
from autograder.grade import stored
from autograder.grade.shards import Shard
from autograder.grade.stored import GraderKey, entry_key
from autograder.report.progress import Progress
from autograder.report.student_files import write_student_files
from autograder.sandbox.errors import clean_text
from autograder.sandbox.grader_side.forker import Template

log = logging.getLogger("autograder")


@dataclass(frozen=True)
class GradeReport:
    graded: tuple[GradedSubmission, ...]
    warnings: tuple[str, ...]
    out: Path


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

    entries, warnings = discover(Path(submissions), assignment, released_stubs(found, assignment))
    refuse_a_class_with_no_file(entries, warnings, Path(submissions), assignment)
    # Before any grading: a folder the roster does not account for stops the run with both sides named.
    matched = match([e.student for e in entries], listed) if listed is not None else None
    outputs = ClassOutputs(out, quiet, roster, matched, canvas_column or assignment, zero_missing)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    grader = grader_key(run)
    mine = [e for e in entries if shard is None or shard.holds(e.student)]
    say = say_unless(quiet)
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


def grade_one(*, submissions: Path, assignment: str, kit: Path | None = None, config: Path | None = None,
              devices: list[str] | None = None) -> GradedSubmission:
    """Grade the one student folder in ``submissions`` (Gradescope's upload) and return its result,
    writing nothing: the same file choice, canary, judge and scoring as ``main``, without the class's
    reports. CanaryFailed when the reference does not get full marks here."""
    Template.get()
    found = find_kit(kit)
    found.require(assignment)
    run = RunRecipe(found.root, assignment, Path(config or found.config_path), tuple(devices or ())).load()
    entries, _ = discover(Path(submissions), assignment, released_stubs(found, assignment))
    if len(entries) != 1:
        raise NothingToGrade(f"{submissions}: expected one student folder, found {len(entries)}")
    (graded,) = grade_entries(entries, run, 1, canary_submission(found, assignment))
    return graded


