"""OUT/grades.csv: one row per student, then one column per check."""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.grade.scoring import GradedSubmission


def write_grades(graded: list[GradedSubmission], out: Path) -> Path:
    names: list[str] = []
    for g in graded:
        for c in g.checks:
            if c.name not in names:
                names.append(c.name)
    path = out / "grades.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", "max_score", *names])
        for g in sorted(graded, key=lambda g: g.student):
            by_name = {c.name: c.score for c in g.checks}
            writer.writerow([g.student, f"{g.score:g}", f"{g.max_score:g}",
                             *[f"{by_name[n]:g}" if n in by_name else "" for n in names]])
    return path
