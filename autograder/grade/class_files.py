"""What a grading command reads and writes for a whole class, shared by ``autograder grade`` and
``autograder merge``: the student folders it was given (and the released stubs, to tell a finished
file from an untouched one), and the class's own files, written from every student's result.
"""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.release import build as build_release
from autograder.grade.scoring import GradedSubmission
from autograder.grade.submission import NothingToGrade
from autograder.integrations.canvas import write_canvas
from autograder.integrations.canvas_feedback import write_feedback_zip
from autograder.integrations.roster import Matched
from autograder.report.changes import NAME as CHANGES, write_changes
from autograder.report.class_view import class_view
from autograder.report.grades_csv import write_grades
from autograder.report.html import write_report
from autograder.report.layout import remove_stale
from autograder.report.misconceptions_csv import write_misconceptions
from autograder.report.summary import summary_table
from autograder.sandbox.errors import clean_text

SHARDS = "shards"
"""OUT/shards/: each shard's grader.log and changes, which ``autograder merge`` gathers."""


@dataclass(frozen=True)
class ClassOutputs:
    """Where a class's results go, and how the command was asked to show them."""

    out: Path
    quiet: bool
    roster: Path | None
    matched: Matched | None
    """Each student folder's roster row, and the rows with no folder (None without a roster)."""
    canvas_column: str
    zero_missing: bool


def say_unless(quiet: bool):
    return (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))


def write_class_outputs(graded: list[GradedSubmission], plan, outputs: ClassOutputs,
                        changes: list[list[str]] | None) -> None:
    """The class's files, from every student's result: grades.csv, misconceptions.csv, report.html,
    canvas.csv, the feedback zip and, where a regrade changed someone's points, changes.csv (its rows
    in ``changes``; an earlier one is removed otherwise). ``autograder merge`` writes them the same
    way from the shards' results."""
    out, say = outputs.out, say_unless(outputs.quiet)
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
    canvas = _write_canvas(graded, outputs, absent)
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


def _write_canvas(graded: list[GradedSubmission], outputs: ClassOutputs, absent: tuple[str, ...]) -> Path:
    """canvas.csv; ``absent``: the roster's students with no folder (_roster_names), named in a warning."""
    canvas = write_canvas(graded, outputs.out, outputs.canvas_column, outputs.matched, outputs.zero_missing)
    if absent:
        say_unless(outputs.quiet)(
            f"warning: {outputs.roster}: {len(absent)} student(s) have no folder at all: "
            f"{clean_text('; '.join(absent), 2000)}"
            + (f"; they get 0 in {canvas}" if outputs.zero_missing else f" (--zero-missing gives them 0 in {canvas})"))
    return canvas


def released_stubs(found, assignment: str):
    """The released, untouched .py and .ipynb, made on first use: a student who handed in both is
    graded on the one that differs from its stub."""
    @functools.cache
    def stubs() -> dict[str, bytes]:
        released = build_release(found, assignment).files
        return {suffix: released[f"{assignment}{suffix}"].encode("utf-8") for suffix in (".py", ".ipynb")
                if f"{assignment}{suffix}" in released}
    return stubs


def refuse_a_class_with_no_file(entries, warnings, folder: Path, assignment: str) -> None:
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
