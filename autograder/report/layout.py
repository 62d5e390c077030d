"""Where a grading run's files go: the class's files at the top of OUT, each student's in a folder of
their own under OUT/students/, so that no student's name (a folder called report.html, say) can take
the place of a class file."""
from __future__ import annotations

from pathlib import Path

STUDENTS = "students"


def student_folder(out: Path, student: str) -> Path:
    """OUT/students/<student>/: that student's results.json and feedback.html."""
    return Path(out) / STUDENTS / student


def student_files(out: Path, name: str) -> list[Path]:
    """Each student's ``name`` (results.json, feedback.html) in a graded output folder."""
    return sorted((Path(out) / STUDENTS).glob(f"*/{name}"))
