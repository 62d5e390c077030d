"""Where a grading run's files go: the class's files at the top of OUT, each student's in a folder of
their own under OUT/students/, so that no student's name (a folder called report.html, say) can take
the place of a class file."""
from __future__ import annotations

import shutil
from pathlib import Path

STUDENTS = "students"
STUDENT_FILES = frozenset({"results.json", "feedback.html", "graded.json"})
"""What the kit writes in a student's folder: a folder holding anything else is not the kit's to remove."""


def student_folder(out: Path, student: str) -> Path:
    """OUT/students/<student>/: that student's results.json and feedback.html."""
    return Path(out) / STUDENTS / student


def student_files(out: Path, name: str) -> list[Path]:
    """Each student's ``name`` (results.json, feedback.html) in a graded output folder."""
    return sorted((Path(out) / STUDENTS).glob(f"*/{name}"))


def remove_stale(out: Path, students: set[str]) -> list[str]:
    """Remove the folders of OUT/students/ whose student is not in ``students`` (a regrade of a class
    that changed), so that the output folder holds one class; a folder holding files the kit did not
    write is left alone. Returns the students removed."""
    removed = []
    root = Path(out) / STUDENTS
    if not root.is_dir():
        return removed
    for folder in sorted(root.iterdir()):
        if folder.name in students or folder.is_symlink() or not folder.is_dir():
            continue
        if all(f.is_file() and not f.is_symlink() and f.name in STUDENT_FILES for f in folder.iterdir()):
            shutil.rmtree(folder)
            removed.append(folder.name)
    return removed
