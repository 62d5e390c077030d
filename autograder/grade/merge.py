"""``autograder merge``: the class's files from the shards' results, once every shard is done.

Each shard (``grade --shard K/N``) wrote its students' folders, each with its graded.json, into
the same output folder (shared storage, or the shards' folders copied into one). merge finds the
class again in the submissions folder and reads every student's result back: a student whose result
is missing, or was graded from another file or by another grader (other settings, another kit), is
named with their shard and nothing is written. Then grades.csv, misconceptions.csv, report.html,
canvas.csv, the feedback zip, grader.log and changes.csv are written exactly as one run writes them.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from autograder.grade import stored
from autograder.grade.class_files import (SHARDS, ClassOutputs, refuse_a_class_with_no_file, released_stubs,
                                          say_unless, write_class_outputs)
from autograder.grade.command import grader_key
from autograder.grade.pipeline import RunRecipe
from autograder.grade.shards import shard_of
from autograder.grade.stored import entry_key
from autograder.grade.submission import NothingToGrade, discover
from autograder.integrations.roster import match, read_roster
from autograder.kit import find_kit
from autograder.report.changes import HEADER as CHANGES_HEADER
from autograder.sandbox.errors import clean_text

_SHARD_LOG = re.compile(r"^grader-(\d+)-of-(\d+)\.log$")


class MergeError(NothingToGrade):
    """Shards that are not all done, or were graded otherwise; the message names the students."""


def main(*, submissions: Path, assignment: str, out: Path, kit: Path | None = None, config: Path | None = None,
         devices: list[str] | None = None, quiet: bool = False, roster: Path | None = None,
         roster_map: Path | None = None, canvas_column: str | None = None, zero_missing: bool = False) -> list:
    found = find_kit(kit)
    found.require(assignment)
    out = Path(out)
    run = RunRecipe(found.root, assignment, Path(config or found.config_path), tuple(devices or ())).load()
    listed = read_roster(Path(roster), roster_map) if roster else None
    entries, warnings = discover(Path(submissions), assignment, released_stubs(found, assignment))
    refuse_a_class_with_no_file(entries, warnings, Path(submissions), assignment)
    matched = match([e.student for e in entries], listed) if listed is not None else None
    say = say_unless(quiet)
    for warning in warnings:
        say(f"warning: {clean_text(warning, 500)}")
    grader = grader_key(run)
    logs = _shard_logs(out)
    count = _shard_count(logs)
    graded, missing, other = [], [], []
    for entry in entries:
        kept = stored.read(out, entry.student)
        if kept is None:
            missing.append(entry.student)
        elif kept[0] != entry_key(entry, grader):
            other.append(entry.student)
        else:
            graded.append(kept[1])
    if missing or other:
        raise MergeError(_not_done(out, assignment, missing, other, count))
    _gather_logs(logs, out / "grader.log")
    outputs = ClassOutputs(out, quiet, roster, matched, canvas_column or assignment, zero_missing)
    write_class_outputs(graded, run.plan, outputs, _gathered_changes(out))
    return graded


def _shard_logs(out: Path) -> list[Path]:
    folder = out / SHARDS
    found = [p for p in folder.glob("grader-*-of-*.log") if _SHARD_LOG.match(p.name)] if folder.is_dir() else []
    return sorted(found, key=lambda p: tuple(int(n) for n in _SHARD_LOG.match(p.name).groups()[::-1]))


def _shard_count(logs: list[Path]) -> int | None:
    counts = {int(_SHARD_LOG.match(p.name)[2]) for p in logs}
    return counts.pop() if len(counts) == 1 else None


def _not_done(out: Path, assignment: str, missing: list[str], other: list[str], count: int | None) -> str:
    def named(students: list[str]) -> str:
        shown = [f"{s} (shard {shard_of(s, count)}/{count})" if count else s for s in students[:20]]
        return clean_text(", ".join(shown) + (f" and {len(students) - 20} more" if len(students) > 20 else ""), 3000)
    lines = [f"{out}: nothing merged: not every student of the class has a result there"]
    if missing:
        lines.append(f"  no result yet for {len(missing)} student(s): {named(missing)}")
    if other:
        lines.append(f"  {len(other)} result(s) graded from another file or by another grader (other settings, "
                     f"another kit or a changed check): {named(other)}")
    shards = sorted({shard_of(s, count) for s in missing + other}) if count else []
    again = (f"run those shards again ({', '.join(f'--shard {k}/{count}' for k in shards)}), then merge"
             if shards else f"run the shards again with the same settings, then `autograder merge {assignment}`")
    lines.append(f"  {again}")
    return "\n".join(lines)


def _gather_logs(logs: list[Path], target: Path) -> None:
    with target.open("w", encoding="utf-8") as f:
        for path in logs:
            f.write(f"===== {path.name} =====\n")
            f.write(path.read_text(encoding="utf-8", errors="replace"))


def _gathered_changes(out: Path) -> list[list[str]] | None:
    """The rows of the shards' changes files (each shard's regrade over earlier results), by student;
    None when no shard changed anyone."""
    files = sorted((out / SHARDS).glob("changes-*.csv")) if (out / SHARDS).is_dir() else []
    rows = []
    for path in files:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            if tuple(next(reader, ())) == CHANGES_HEADER:
                rows.extend(reader)
    return sorted(rows, key=lambda r: r[0]) or None
