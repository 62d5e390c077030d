"""A class roster (Canvas's gradebook export) matched to the student folders, before anything is graded.

Each folder must match exactly one roster row: by SIS Login ID (or its part before ``@``), SIS User
ID or Canvas ID, by the Canvas ID in a folder of Canvas's own download (``smithalice_1004``), or by
an instructor's mapping file (``folder,roster`` rows). A folder that matches none, or a row that two
folders match, stops the run with both sides and the closest matches named: a grade is never
written against the wrong row, and a student who handed in work never gets the zero of one who did
not.
"""
from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_KEYS = ("SIS Login ID", "SIS User ID", "ID")


class RosterError(ValueError):
    """A roster or mapping that cannot be used, or folders it does not account for; the message
    names the file, the folders and the reason."""


@dataclass(frozen=True)
class Roster:
    path: Path
    rows: tuple[dict, ...]
    mapping: dict[str, str] = field(default_factory=dict)
    """folder -> a roster key (from --roster-map)."""

    def keys(self, row: dict) -> list[str]:
        """The identifiers a folder may be named by, for one row."""
        found = [(row.get(k) or "").strip() for k in _KEYS]
        login = (row.get("SIS Login ID") or "").strip()
        if "@" in login:
            found.append(login.split("@")[0])
        return [k for k in dict.fromkeys(found) if k]

    def name(self, row: dict) -> str:
        return (row.get("Student") or "").strip() or next(iter(self.keys(row)), "?")

    def describe(self, row: dict) -> str:
        keys = self.keys(row)
        return f"{self.name(row)} ({', '.join(keys)})" if keys else self.name(row)

    def find(self, folder: str) -> dict | None:
        wanted = self.mapping.get(folder, folder)
        for row in self.rows:
            if wanted in self.keys(row):
                return row
        # Canvas's own download names each student NAME_ID (submission.py): its Canvas ID.
        canvas_id = folder.rsplit("_", 1)[-1] if "_" in folder and folder not in self.mapping else None
        if canvas_id and canvas_id.isdigit():
            return next((row for row in self.rows if (row.get("ID") or "").strip() == canvas_id), None)
        return None

    def closest(self, folder: str, rows: list[dict], n: int = 3) -> list[dict]:
        """The rows whose identifiers or name look most like ``folder``."""
        def squeeze(text: str) -> str:
            return re.sub(r"[^a-z0-9]", "", text.lower())

        candidates: dict[str, dict] = {}
        for row in rows:
            name = self.name(row)
            parts = [p for p in re.split(r"[,\s]+", name) if p]
            for key in [*self.keys(row), name, "".join(parts), "".join(reversed(parts))]:
                candidates.setdefault(squeeze(key), row)
        picked = difflib.get_close_matches(squeeze(folder), list(candidates), n=n * 3, cutoff=0.4)
        out = []
        for key in picked:
            if candidates[key] not in out:
                out.append(candidates[key])
        return out[:n]


@dataclass(frozen=True)
class Matched:
    rows: dict[str, dict]
    """student folder -> its roster row."""
    absent: tuple[dict, ...]
    """Roster rows no folder matched: the students who handed in nothing at all."""


def read_roster(path: Path, mapping: Path | None = None) -> Roster:
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc})") from None
    header = set(rows[0]) if rows else set()
    if not rows or not header & set(_KEYS):
        raise RosterError(f"{path}: not a Canvas gradebook export: it needs a header with "
                          "'SIS Login ID', 'SIS User ID' or 'ID', and one row per student")
    students = tuple(r for r in rows if (r.get("Student") or "").strip() not in ("", "Points Possible", "Test Student"))
    return Roster(Path(path), students, _read_mapping(Path(mapping)) if mapping else {})


def _read_mapping(path: Path) -> dict[str, str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{path}: cannot read the roster mapping ({exc})") from None
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["folder", "roster"]:
        rows = rows[1:]
    mapping = {}
    for number, row in enumerate(rows, 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise RosterError(f"{path}, line {number}: expected 'folder,roster' (a student folder and its roster "
                              f"row's SIS Login ID, SIS User ID or ID), got {','.join(row)!r}")
        mapping[row[0].strip()] = row[1].strip()
    return mapping


def match(students: list[str], roster: Roster) -> Matched:
    """Every folder's roster row; RosterError, naming both sides, when a folder matches none or two
    folders match one row."""
    rows, unmatched, taken = {}, [], {}
    for student in students:
        row = roster.find(student)
        if row is None:
            unmatched.append(student)
            continue
        taken.setdefault(id(row), []).append(student)
        rows[student] = row
    absent = [row for row in roster.rows if id(row) not in taken]
    problems = []
    for student in unmatched:
        near = roster.closest(student, absent or list(roster.rows))
        problems.append(f"  {student}: no roster row" + (f"; closest: {'; '.join(map(roster.describe, near))}"
                                                           if near else ""))
    for folders in taken.values():
        if len(folders) > 1:
            problems.append(f"  {', '.join(folders)}: all match {roster.describe(rows[folders[0]])}")
    unknown = [folder for folder in roster.mapping if folder not in students]
    if unknown:
        problems.append(f"  the mapping names folders that are not in the class: {', '.join(unknown)}")
    if problems:
        example = "\n".join(f"  {s},{roster.keys(n[0])[0]}" for s in unmatched
                            for n in [roster.closest(s, absent or list(roster.rows), 1)] if n and roster.keys(n[0]))
        raise RosterError(
            f"{roster.path}: the roster does not account for every student folder, so no grade was written "
            "(a grade on the wrong row, or a zero for a student who handed in work, is worse than none):\n"
            + "\n".join(problems)
            + (f"\nRoster rows no folder matched: {'; '.join(map(roster.describe, absent))}." if absent else "")
            + "\nMap each folder to its row in a CSV file of 'folder,roster' lines (roster: the row's SIS Login ID, "
              "SIS User ID or ID) and pass it with --roster-map FILE"
            + (f", for example:\n  folder,roster\n{example}" if example else "."))
    return Matched(rows, tuple(absent))
