"""Stage 1: find each student's file in a submissions folder."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Submission:
    """One student's entry in the submissions folder."""

    student: str
    """The student's folder name; also their folder name in the output."""
    path: Path | None
    """Their NAME.py, or None when it is missing."""
    problem: str | None = None
    """Why there is nothing to run, in words for the student; None when there is a file."""


def discover(folder: Path, assignment: str) -> tuple[list[Submission], list[str]]:
    """Every student folder under ``folder``, and warnings about entries that are not one."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: submissions folder not found")
    filename = f"{assignment}.py"
    submissions, warnings = [], []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            warnings.append(f"{entry}: skipped, expected one folder per student holding {filename}")
            continue
        target = entry / filename
        if target.is_file():
            submissions.append(Submission(entry.name, target))
            continue
        found = sorted(p.name for p in entry.iterdir() if p.is_file())
        also = f" (the folder holds: {', '.join(found[:8])})" if found else " (the folder is empty)"
        submissions.append(Submission(entry.name, None, f"No {filename} was submitted{also}."))
    return submissions, warnings
