"""OUT/students/<student>/graded.json: a student's result, kept with the key it was graded under.

The key is the student's file (its bytes, name and what discovery noted about it) and the grader
(every file of the engine, the assignment's checks and reference, grading.toml, the seed, the
devices, and the torch and Python it ran on). A run finds a result whose key matches and reuses it
instead of grading again: a run killed midway and started again grades only the students it had
not finished, a regrade after resubmissions grades only the changed files, and a shard's results are
merged without grading (merge.py). Any change on the grader's side changes every key, so everyone
is graded again, and changes.py reports who went up or down.

graded.json is written last, after results.json and feedback.html, and atomically: a student whose
graded.json exists has all of their files.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

import autograder
from autograder.config import Clearance
from autograder.grade.scoring import GradedSubmission, ScoredCheck
from autograder.grade.submission import Submission
from autograder.grade.usage import Flag, FunctionUsage, Usage
from autograder.report.layout import student_folder

FORMAT = 1
NAME = "graded.json"
_NEVER_KEPT = frozenset({"internal"})
"""A check the grader itself failed on is graded again on the next run, never reused."""


@dataclass(frozen=True)
class GraderKey:
    """What grades: a digest of every input on the grader's side."""

    digest: str

    @classmethod
    def of(cls, kit: Path, assignment: str, config_path: Path, seed: int, devices: tuple[str, ...]) -> "GraderKey":
        h = hashlib.sha256()
        h.update(json.dumps({"kit": autograder.__version__, "torch": torch.__version__,
                             "python": platform.python_version(), "assignment": assignment, "seed": seed,
                             "devices": list(devices), "format": FORMAT}, sort_keys=True).encode())
        # Named relative to their folder: the same kit installed elsewhere (another node) has the same key.
        engine, kit = Path(autograder.__file__).parent, Path(kit)
        groups = [("engine", engine, [*engine.rglob("*.py"), *engine.rglob("*.j2")]),
                  ("checks", kit / "tests" / "graded", list((kit / "tests" / "graded").glob("*.py"))),
                  ("reference", kit / "solutions" / assignment, list((kit / "solutions" / assignment).rglob("*"))),
                  ("config", Path(config_path).parent, [Path(config_path)])]
        for label, root, paths in groups:
            for path in sorted(paths):
                if path.is_file() and "__pycache__" not in path.parts:
                    h.update(f"{label}/{path.relative_to(root).as_posix()}".encode())
                    h.update(hashlib.sha256(path.read_bytes()).digest())
        return cls(h.hexdigest())


def entry_key(entry: Submission, grader: GraderKey) -> str:
    """The key of one student's result: their file and the grader."""
    h = hashlib.sha256()
    h.update(json.dumps({"grader": grader.digest, "student": entry.student, "filename": entry.filename,
                         "problem": entry.problem, "note": entry.note, "no_file": entry.no_file,
                         "late": entry.late, "canvas_name": entry.canvas_name}, sort_keys=True).encode())
    h.update(hashlib.sha256(entry.data).digest())
    return h.hexdigest()


# ---------------------------------------------------------------- to and from JSON
def to_dict(graded: GradedSubmission, key: str) -> dict:
    return {"format": FORMAT, "key": key, "student": graded.student, "assignment": graded.assignment,
            "checks": [asdict(c) for c in graded.checks], "notes": list(graded.notes),
            "protections": graded.protections, "seed": graded.seed, "late": graded.late,
            "printed": graded.printed, "canvas_name": graded.canvas_name,
            "usage": {"digest": graded.usage.digest,
                      "functions": {fn: {"flags": [asdict(f) for f in u.flags], "allowed": u.allowed,
                                         "cleared": u.cleared.model_dump() if u.cleared is not None else None}
                                    for fn, u in graded.usage.functions.items()}}}


def from_dict(data: dict) -> GradedSubmission:
    checks = tuple(ScoredCheck(**{**c, "devices": tuple(c["devices"]), "failed_on": tuple(c["failed_on"]),
                                  "tags": tuple(c["tags"])}) for c in data["checks"])
    functions = {fn: FunctionUsage(fn, tuple(Flag(**f) for f in u["flags"]), u["allowed"],
                                   Clearance(**u["cleared"]) if u["cleared"] else None)
                 for fn, u in data["usage"]["functions"].items()}
    return GradedSubmission(data["student"], data["assignment"], checks, tuple(data["notes"]), data["protections"],
                            Usage(functions, data["usage"]["digest"]), data["seed"], data["late"], data["printed"],
                            data["canvas_name"])


def write(graded: GradedSubmission, key: str, out: Path) -> Path:
    """OUT/students/<student>/graded.json, atomically (a temporary file renamed into place)."""
    folder = student_folder(out, graded.student)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NAME
    temporary = folder / f".{NAME}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(to_dict(graded, key), sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)
    return path


def read(out: Path, student: str) -> tuple[str, GradedSubmission] | None:
    """(key, result) of a student's graded.json, or None where there is none or it cannot be read
    (a partial copy, an older format): that student is then graded again."""
    path = student_folder(out, student) / NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("student") != student:
            return None
        return data["key"], from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def reusable(out: Path, entry: Submission, key: str, found: tuple[str, GradedSubmission] | None) -> GradedSubmission | None:
    """The stored result ``found`` (read(out, entry.student)) if it was graded under ``key``, its
    files are all there, and the grader did not fail on it."""
    if found is None or found[0] != key:
        return None
    folder = student_folder(out, entry.student)
    if not all((folder / name).is_file() for name in ("results.json", "feedback.html")):
        return None
    graded = found[1]
    if any(c.kind in _NEVER_KEPT for c in graded.checks):
        return None
    return graded
