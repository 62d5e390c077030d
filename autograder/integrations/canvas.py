"""OUT/canvas.csv: the grades in the columns Canvas's gradebook import expects.

Canvas matches each row to a student by ``ID``, ``SIS User ID`` or ``SIS Login ID``. With a roster
(roster.py, matched before grading), each student's row copies its roster row's identifiers;
without one, the folder name is the SIS Login ID. The second row gives the points possible, as
Canvas's own export does.
"""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.grade.scoring import GradedSubmission
from autograder.integrations.roster import IDENTITY, Matched
from autograder.report.grades_csv import neutral


def write_canvas(graded: list[GradedSubmission], out: Path, column: str, matched: Matched | None = None,
                 zero_missing: bool = False) -> Path:
    """Write canvas.csv. With ``zero_missing``, the roster's students with no folder at all get a 0
    row too (a folder without the file is graded, and gets its own 0 with the reason)."""
    max_score = max((g.max_score for g in graded), default=0.0)
    path = out / "canvas.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([*IDENTITY, column])
        writer.writerow(["    Points Possible", "", "", "", "", f"{max_score:g}"])
        for g in sorted(graded, key=lambda g: g.student):
            if matched is None:
                identity = [g.student, "", "", g.student, ""]
            else:
                identity = [(matched.rows[g.student].get(k) or "").strip() for k in IDENTITY]
            writer.writerow([*map(neutral, identity), f"{g.score:g}"])
        if matched is not None and zero_missing:
            for row in matched.absent:
                writer.writerow([*[neutral((row.get(k) or "").strip()) for k in IDENTITY], "0"])
    return path
