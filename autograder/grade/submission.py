"""Stage 1: find each student's file in a submissions folder.

Three layouts are accepted, and may be mixed:

    SUBMISSIONS/<student>/<assignment>.py  (or .ipynb)
    SUBMISSIONS/<student>/<assignment>/<assignment>.ipynb   (nbgrader's submitted/ folder)
    SUBMISSIONS/<name>_<canvas id>_<submission id>_<assignment>.py  (Canvas's "Download submissions";
        "_LATE" after the name, and "-1" after a re-upload's file name, are allowed; the student is
        "<name>_<canvas id>", which canvas.csv matches to the roster's ID)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from autograder.notebook import NotebookError, Script, to_script

SUFFIXES = (".py", ".ipynb")


class NothingToGrade(Exception):
    """The submissions folder holds no student, or no student's file for this assignment."""


@dataclass(frozen=True)
class Submission:
    """One student's entry in the submissions folder."""

    student: str
    """The student's folder name; also their folder name in the output."""
    path: Path | None
    """Their NAME.py or NAME.ipynb, or None when there is nothing to run."""
    problem: str | None = None
    """Why there is nothing to run, in words for the student; None when there is a file."""
    script: Script | None = None
    """For a notebook: its code cells as one script, with where each line came from."""
    note: str | None = None
    """A remark for the student about which file was graded."""
    no_file: bool = False
    """The folder holds no file of the assignment's name at all."""

    @property
    def filename(self) -> str:
        return self.path.name if self.path is not None else ""

    def source(self) -> bytes:
        """What the sandbox imports: the file itself, or a notebook's code cells."""
        return self.script.text.encode("utf-8") if self.script is not None else self.path.read_bytes()

    def locate(self, line: int) -> str:
        """Where line ``line`` of source() is, in the student's own terms."""
        if self.script is not None:
            return self.script.locate(line, self.filename)
        return f"line {line} of {self.filename}"


def discover(folder: Path, assignment: str, stubs: Callable[[], dict[str, bytes]] | None = None
             ) -> tuple[list[Submission], list[str]]:
    """Every student folder under ``folder``, and warnings about entries that are not one.

    ``stubs()`` maps ".py"/".ipynb" to the released, untouched files: when a student handed in
    both, the one still equal to its stub is the one they did not work in.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: submissions folder not found")
    submissions, warnings = [], []
    flat: dict[str, list[Path]] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            canvas = _CANVAS_FILE.match(entry.name)
            if canvas and canvas["stem"] == assignment:
                flat.setdefault(f"{canvas['name']}_{canvas['user']}", []).append(entry)
                continue
            warnings.append(f"{entry}: skipped, expected one folder per student holding "
                            f"{assignment}.py or {assignment}.ipynb, or Canvas's "
                            f"NAME_ID_SUBMISSION_{assignment}.py files")
            continue
        submissions.append(_one(entry, assignment, stubs or dict))
    for student, files in sorted(flat.items()):
        # A re-upload is the newest: Canvas numbers it name-1.py, name-2.py.
        newest = max(files, key=lambda p: int(_CANVAS_FILE.match(p.name)["again"] or 0))
        submissions.append(_file(student, newest))
    return sorted(submissions, key=lambda s: s.student), warnings


_CANVAS_FILE = re.compile(r"^(?P<name>[^_]+)(?:_LATE)?_(?P<user>\d+)_(?P<sub>\d+)_"
                          r"(?P<stem>[^/]+?)(?:-(?P<again>\d+))?(?P<suffix>\.py|\.ipynb)$")


def _file(student: str, path: Path) -> Submission:
    """One student's file from Canvas's flat download, graded as if it had its own name."""
    canvas = _CANVAS_FILE.match(path.name)
    shown = f"{canvas['stem']}{canvas['suffix']}"
    if path.suffix == ".ipynb":
        try:
            return Submission(student, path, script=to_script(path.read_bytes(), shown))
        except NotebookError as exc:
            return Submission(student, None, f"Your notebook could not be read: {exc}.")
    return Submission(student, path)


def _one(entry: Path, assignment: str, stubs: Callable[[], dict[str, bytes]]) -> Submission:
    places = [entry, entry / assignment]  # the second is nbgrader's layout
    found = [place / f"{assignment}{suffix}" for place in places for suffix in SUFFIXES
             if (place / f"{assignment}{suffix}").is_file()]
    if not found:
        files = sorted(str(p.relative_to(entry)) for place in places if place.is_dir()
                       for p in place.iterdir() if p.is_file())
        also = f" (the folder holds: {', '.join(files[:8])})" if files else " (the folder is empty)"
        return Submission(entry.name, None, f"No {assignment}.py or {assignment}.ipynb was submitted{also}. "
                                            "The file must have exactly this name.", no_file=True)
    chosen, note = _choose(found, stubs)
    if chosen.suffix == ".ipynb":
        try:
            script = to_script(chosen.read_bytes(), chosen.name)
        except NotebookError as exc:
            return Submission(entry.name, None, f"Your notebook could not be read: {exc}.")
        return Submission(entry.name, chosen, script=script, note=note)
    return Submission(entry.name, chosen, note=note)


def _choose(found: list[Path], stubs: Callable[[], dict[str, bytes]]) -> tuple[Path, str | None]:
    if len(found) == 1:
        return found[0], None
    stubs = stubs()
    worked_on = [p for p in found if stubs.get(p.suffix) is None or p.read_bytes() != stubs[p.suffix]]
    chosen = worked_on[0] if worked_on else found[0]
    others = ", ".join(p.name for p in found if p != chosen)
    return chosen, f"You handed in more than one version; {chosen.name} was graded (not {others})."
