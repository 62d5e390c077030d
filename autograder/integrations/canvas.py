"""OUT/canvas.csv: the grades in the columns Canvas's gradebook import expects.

Canvas matches each row to a student by ``ID``, ``SIS User ID`` or ``SIS Login ID``. Given a
roster (the CSV that Canvas's gradebook *Export* gives), each student folder is matched to
the roster row whose SIS Login ID, SIS User ID, ID or login part of the email equals the
folder name, and the row's identifiers are copied. Without a roster, the folder name is used
as the SIS Login ID. The second row gives the points possible, as Canvas's own export does.
"""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.grade.scoring import GradedSubmission
from autograder.report.grades_csv import neutral

IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


class RosterError(ValueError):
    """A roster file that cannot be used; the message names the file and the reason."""


def read_roster(path: Path) -> list[dict]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc})") from None
    header = set(rows[0]) if rows else set()
    if not rows or not header & {"SIS Login ID", "SIS User ID", "ID"}:
        raise RosterError(f"{path}: not a Canvas gradebook export: it needs a header with "
                          "'SIS Login ID', 'SIS User ID' or 'ID', and one row per student")
    return [r for r in rows if (r.get("Student") or "").strip() not in ("", "Points Possible", "Test Student")]


def _match(student: str, roster: list[dict]) -> dict | None:
    keys = ("SIS Login ID", "SIS User ID", "ID")
    for row in roster:
        if any((row.get(k) or "").strip() == student for k in keys):
            return row
        if (row.get("SIS Login ID") or "").split("@")[0] == student:
            return row
    # Canvas's own download names each student NAME_ID (submission.py): match its Canvas ID.
    canvas_id = student.rsplit("_", 1)[-1] if "_" in student else None
    if canvas_id and canvas_id.isdigit():
        return next((row for row in roster if (row.get("ID") or "").strip() == canvas_id), None)
    return None


def not_submitted(graded: list[GradedSubmission], roster: list[dict]) -> list[dict]:
    """The roster's students with no graded submission."""
    matched = {id(row) for g in graded for row in [_match(g.student, roster)] if row is not None}
    return [row for row in roster if id(row) not in matched]


def write_canvas(graded: list[GradedSubmission], out: Path, column: str,
                 roster: list[dict] | None = None, zero_missing: bool = False) -> tuple[Path, list[str]]:
    """Write canvas.csv; return its path and the students the roster did not know. With
    ``zero_missing``, the roster's students who handed in nothing get a 0 row too."""
    max_score = max((g.max_score for g in graded), default=0.0)
    unmatched = []
    path = out / "canvas.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([*IDENTITY, column])
        writer.writerow(["    Points Possible", "", "", "", "", f"{max_score:g}"])
        for g in sorted(graded, key=lambda g: g.student):
            if roster is None:
                identity = [g.student, "", "", g.student, ""]
            else:
                row = _match(g.student, roster)
                if row is None:
                    unmatched.append(g.student)
                    continue
                identity = [(row.get(k) or "").strip() for k in IDENTITY]
            writer.writerow([*map(neutral, identity), f"{g.score:g}"])
        if roster is not None and zero_missing:
            for row in not_submitted(graded, roster):
                writer.writerow([*[neutral((row.get(k) or "").strip()) for k in IDENTITY], "0"])
    return path, unmatched
