"""OUT/misconceptions.csv: one row per student and likely cause, beside grades.csv, for a spreadsheet
or a script (who to invite to which review session). The causes are report.html's."""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.report.class_view import ClassView
from autograder.report.grades_csv import neutral

HEADER = ("student", "name", "late", "score", "max_score", "cause", "functions", "points_lost", "students_with_it")


def write_misconceptions(view: ClassView, out: Path) -> Path:
    rows = {s.student: s for s in view.students}
    path = Path(out) / "misconceptions.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        lines = []
        for cause in view.causes:
            functions = "the whole file" if cause.whole_file else " ".join(cause.functions)
            for student, lost in cause.lost:
                s = rows[student]
                lines.append((student, [neutral(student), neutral(s.name), "late" if s.late else "", f"{s.score:g}",
                                        f"{s.max_score:g}", neutral(cause.text), functions, f"{lost:g}",
                                        str(len(cause.students))]))
        for _, line in sorted(lines, key=lambda item: item[0]):  # stable: a student's causes, most common first
            writer.writerow(line)
    return path
