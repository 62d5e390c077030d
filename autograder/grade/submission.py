"""Stage 1: find each student's file in a submissions folder.

Three layouts are accepted, and may be mixed:

    SUBMISSIONS/<student>/<assignment>.py  (or .ipynb)
    SUBMISSIONS/<student>/<assignment>/<assignment>.ipynb   (nbgrader's submitted/ folder)
    SUBMISSIONS/<name>_<canvas id>_<submission id>_<assignment>.py  (Canvas's "Download submissions";
        "_LATE" after the name, and "-1" after a re-upload's file name, are allowed; the student is
        "<name>_<canvas id>", which canvas.csv matches to the roster's ID)
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from autograder.notebook import NotebookError, Script, to_script

SUFFIXES = (".py", ".ipynb")
MAX_FILE_BYTES = 20 * 2**20
"""Larger than any file of this chapter (a notebook with its outputs cleared, a .py of pasted sections)."""


class NothingToGrade(Exception):
    """The submissions folder holds no student, or no student's file for this assignment."""


class NotARegularFile(Exception):
    """A link, a folder, a FIFO or a device where a file was expected, or a file outside its folder."""


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
    data: bytes = b""
    """The file's bytes, read once when it was found (never read again: the file cannot change under
    the grader)."""
    late: bool = False
    """Canvas marked it late (``_LATE`` in its download name)."""
    canvas_name: str | None = None
    """For a file from Canvas's download, its name's head (``smithalice_LATE_1001_556``: the student's
    Canvas ID and the file's attachment ID), under which Canvas's re-upload takes back a feedback file."""

    @property
    def filename(self) -> str:
        return self.path.name if self.path is not None else ""

    @classmethod
    def of_file(cls, student: str, path: Path) -> "Submission":
        """One file graded on its own (the canary, a single file from the command line): read as
        the submissions folder's files are."""
        return _read(student, path, path.parent, path.name, None)

    def source(self) -> bytes:
        """What the sandbox imports: the file itself, or a notebook's code cells."""
        return self.script.text.encode("utf-8") if self.script is not None else self.data

    def locate(self, line: int) -> str:
        """Where line ``line`` of source() is, in the student's own terms."""
        if self.script is not None:
            return self.script.locate(line, self.filename)
        return f"line {line} of {self.filename}"


def read_regular(path: Path, inside: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file (not a link, a FIFO or a device) whose real
    path lies inside ``inside``; NotARegularFile otherwise. Opened without following a link, so that
    nothing can be swapped in between the check and the read."""
    real, root = os.path.realpath(path), os.path.realpath(inside)
    if not (real == root or real.startswith(root + os.sep)) or os.path.islink(path):
        raise NotARegularFile(f"{path.name} is a link (or lies outside its folder); hand in the file itself")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise NotARegularFile(f"{path.name} cannot be opened ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(f"{path.name} is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise NotARegularFile(f"{path.name} is {info.st_size // 2**20} MB, over the "
                                  f"{MAX_FILE_BYTES // 2**20} MB a submission may have")
        chunks, left = [], MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)[:MAX_FILE_BYTES]
    finally:
        os.close(fd)


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


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
        if entry.is_symlink():
            warnings.append(f"{entry}: skipped, a link; only folders and files inside {folder} are graded")
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
        submissions.append(_flat(student, files, folder))
    return sorted(submissions, key=lambda s: s.student), warnings


# Canvas's "Download submissions": name[_LATE]_userid_attachmentid_<the file's own name>, where a
# re-upload's own name gets "-1", "-2"; a browser that saves a file twice adds " (1)".
_CANVAS_FILE = re.compile(r"^(?P<name>[^_]+)(?P<late>_LATE)?_(?P<user>\d+)_(?P<sub>\d+)_"
                          r"(?P<stem>[^/]+?)(?:-(?P<again>\d+))?(?: \((?P<copy>\d+)\))?(?P<suffix>\.py|\.ipynb)$")


def _version_pattern(assignment: str) -> re.Pattern:
    """NAME.py, and a resubmission's names: NAME-1.py (Canvas), NAME (1).py (a browser's second copy)."""
    return re.compile(rf"^{re.escape(assignment)}(?:-(?P<again>\d+))?(?: \((?P<copy>\d+)\))?(?P<suffix>\.py|\.ipynb)$")


def _version(match: re.Match) -> tuple[int, int]:
    return int(match["again"] or 0), int(match["copy"] or 0)


def _flat(student: str, files: list[Path], folder: Path) -> Submission:
    """One student's files from Canvas's flat download: the newest, graded as if it had its own name."""
    matches = sorted(((_CANVAS_FILE.match(p.name), p) for p in files), key=lambda mp: (_version(mp[0]), mp[1].name))
    canvas, path = matches[-1]
    late = any(m["late"] for m, _ in matches)
    older = [p.name for _, p in matches[:-1]]
    note = (f"You handed in {len(matches)} versions; the newest, {path.name}, was graded (not {', '.join(older)})."
            if older else None)
    shown = f"{canvas['stem']}{canvas['suffix']}"
    head = f"{canvas['name']}{canvas['late'] or ''}_{canvas['user']}_{canvas['sub']}"
    return _read(student, path, folder, shown, note, late, head)


def _read(student: str, path: Path, inside: Path, shown: str, note: str | None, late: bool = False,
          canvas_name: str | None = None) -> Submission:
    known = {"note": note, "late": late, "canvas_name": canvas_name}
    try:
        data = read_regular(path, inside)
    except NotARegularFile as exc:
        return Submission(student, None, f"{exc}. The grader reads only regular files.", **known)
    if path.suffix == ".ipynb":
        try:
            return Submission(student, Path(shown), script=to_script(data, shown), data=data, **known)
        except NotebookError as exc:
            return Submission(student, None, f"Your notebook could not be read: {exc}.", **known)
    return Submission(student, Path(shown), data=data, **known)


def _one(entry: Path, assignment: str, stubs: Callable[[], dict[str, bytes]]) -> Submission:
    places = [entry] + ([entry / assignment] if _is_folder(entry / assignment) else [])  # nbgrader's layout
    pattern = _version_pattern(assignment)
    candidates = [(pattern.match(p.name), p) for place in places for p in sorted(place.iterdir())]
    candidates = [(m, p) for m, p in candidates if m]
    if not candidates:
        files = sorted(str(p.relative_to(entry)) for place in places for p in place.iterdir())
        also = f" (the folder holds: {', '.join(files[:8])})" if files else " (the folder is empty)"
        return Submission(entry.name, None, f"No {assignment}.py or {assignment}.ipynb was submitted{also}. "
                                            "The file must have exactly this name.", no_file=True)
    newest = {}
    for match, path in candidates:  # per suffix, the newest version (the highest -N or (N))
        key = match["suffix"]
        if key not in newest or _version(match) > _version(newest[key][0]):
            newest[key] = (match, path)
    chosen, note = _choose([path for _, path in newest.values()], entry, stubs)
    older = [p.name for _, p in candidates if p != chosen and p.suffix == chosen.suffix]
    if older:
        note = ((note + " ") if note else "") + (f"You handed in {len(older) + 1} versions of {chosen.suffix} files; "
                                                 f"the newest, {chosen.name}, was graded (not {', '.join(older)}).")
    shown = f"{assignment}{chosen.suffix}"
    if chosen.name != shown and not older:
        note = ((note + " ") if note else "") + f"Your file {chosen.name} was graded as {shown}."
    return _read(entry.name, chosen, entry, shown, note)


def _choose(found: list[Path], inside: Path, stubs: Callable[[], dict[str, bytes]]) -> tuple[Path, str | None]:
    if len(found) == 1:
        return found[0], None
    stubs = stubs()

    def untouched(path: Path) -> bool:
        try:
            return stubs.get(path.suffix) is not None and read_regular(path, inside) == stubs[path.suffix]
        except NotARegularFile:
            return True  # never chosen over a file that can be read
    worked_on = [p for p in found if not untouched(p)]
    chosen = worked_on[0] if worked_on else found[0]
    others = ", ".join(p.name for p in found if p != chosen)
    return chosen, f"You handed in more than one version; {chosen.name} was graded (not {others})."
