"""OUT/changes.csv: what a regrade changed, against the results it replaced in the same output folder.

A student graded again shows up here when their score or any check's points moved: who went up,
who went down, by which checks, and why (they handed in a new file, or the grader changed: a check,
the reference, grading.toml or the kit).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from autograder.grade.scoring import GradedSubmission
from autograder.report.grades_csv import neutral

NAME = "changes.csv"
HEADER = ("student", "before", "after", "change", "why", "checks")


@dataclass(frozen=True)
class Change:
    student: str
    before: float
    after: float
    why: str
    """resubmitted, or grader changed."""
    checks: tuple[tuple[str, float | None, float | None], ...]
    """(check, points before, points after), for each check whose points moved; None where it did not exist."""

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 6)


def compare(previous: dict[str, GradedSubmission], now: list[GradedSubmission]) -> list[Change]:
    """The changes of the students in ``now`` who had a result in ``previous``, by student."""
    changes = []
    for graded in sorted(now, key=lambda g: g.student):
        old = previous.get(graded.student)
        if old is None:
            continue
        before = {c.name: c.score for c in old.checks}
        after = {c.name: c.score for c in graded.checks}
        moved = tuple((name, before.get(name), after.get(name)) for name in dict.fromkeys([*before, *after])
                      if before.get(name) != after.get(name))
        if moved or old.score != graded.score:
            why = "resubmitted" if old.usage.digest != graded.usage.digest else "grader changed"
            changes.append(Change(graded.student, old.score, graded.score, why, moved))
    return changes


def _points(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def rows(changes: list[Change]) -> list[list[str]]:
    return [[neutral(c.student), f"{c.before:g}", f"{c.after:g}", f"{c.delta:+g}", c.why,
             "; ".join(f"{name}: {_points(b)} -> {_points(a)}" for name, b, a in c.checks)] for c in changes]


def write_changes(table: list[list[str]], path: Path) -> Path:
    """``table``: rows(changes), or the rows of several shards' files."""
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(table)
    return Path(path)


def summary(changes: list[Change], regraded: int) -> str:
    up = sum(1 for c in changes if c.delta > 0)
    down = sum(1 for c in changes if c.delta < 0)
    same = regraded - up - down
    return (f"{regraded} student(s) graded again over earlier results: {up} went up, {down} went down, "
            f"{same} kept their score")
