"""OUT/grades.csv: one row per student, then one column per check."""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.grade.scoring import GradedSubmission

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula (= + - @, a tab or a carriage
    return: a student folder named "=HYPERLINK(...)") gets a leading apostrophe (OWASP's advice for CSV)."""
    cell = str(cell)
    return "'" + cell if cell.startswith(_FORMULA) else cell


def write_grades(graded: list[GradedSubmission], out: Path) -> Path:
    names: list[str] = []
    for g in graded:
        for c in g.checks:
            if c.name not in names:
                names.append(c.name)
    path = out / "grades.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "score", "max_score", *names, "late"])
        for g in sorted(graded, key=lambda g: g.student):
            by_name = {c.name: c.score for c in g.checks}
            writer.writerow([neutral(g.student), f"{g.score:g}", f"{g.max_score:g}",
                             *[f"{by_name[n]:g}" if n in by_name else "" for n in names], "late" if g.late else ""])
    return path
