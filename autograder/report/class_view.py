"""What a class's results say to its instructor: the likely causes, each with the students it cost
points, and the students who need help first. One reading of the graded class, shown twice:
report.html and misconceptions.csv.

A cause is the hint a student got for a failed check (the kit's diagnosis of the misconception),
else the first line of what went wrong with line numbers and addresses taken out, so that the same
error raised from different lines is one cause. A file that did not run is one cause per kind of
problem (a syntax error, no file), not one per line number.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from autograder.grade.scoring import GradedSubmission, ScoredCheck, owner
from autograder.report.whole_file import did_not_run, did_not_run_kind

HELP_BELOW = 0.6
"""Students under this share of the points are listed as needing help first."""
HELP_SHOWN = 12
"""How many of them the report's first screen lists (the students table holds everyone)."""

_WHOLE_FILE = {
    "syntax": "The file did not run: a syntax error kept its functions from being defined (often code "
              "pasted with the wrong indentation)",
    "missing": "No file of the assignment's name was handed in (a renamed file, or nothing at all)",
    "import": "The file could not be loaded at all",
    "unreadable": "The file could not be read: not a notebook, too large, or not text",
}
_NONE_DEFINED = ("The file defines none of the assignment's functions under the stub's names (renamed "
                 "functions, or the class-based edition's methods)")
_KINDS = {
    "forbidden": "Uses ready-made operations that the function's rules do not allow (see Sent to review)",
    "tampering": "Uses tools that reach into the grader (see Sent to review)",
    "not_implemented": "Not attempted: the function still raises NotImplementedError",
    "internal": "The grader itself failed on this check (see grader.log; not the student's fault)",
}


@dataclass(frozen=True)
class Cause:
    text: str
    students: tuple[str, ...]
    """Sorted; each student counted once, however many checks the cause cost them."""
    functions: tuple[str, ...]
    checks: tuple[str, ...]
    """The titles of the checks it failed."""
    points: float
    """The points it cost, summed over its students."""
    whole_file: bool = False
    also: tuple[str, ...] = ()
    """Other wordings of the same misconception, from other checks that the same students failed."""
    lost: tuple[tuple[str, float], ...] = ()
    """(student, the points it cost them), by student."""


@dataclass(frozen=True)
class FunctionCell:
    function: str
    earned: float
    possible: float

    @property
    def level(self) -> str:
        return "full" if self.earned == self.possible else "none" if self.earned == 0 else "part"


@dataclass(frozen=True)
class StudentRow:
    student: str
    name: str
    """The roster's name for the student, or the folder's name without a roster."""
    score: float
    max_score: float
    late: bool
    did_not_run: str | None
    causes: tuple[str, ...]
    """The texts of their causes (as in ClassView.causes), the most common first."""
    cells: tuple[FunctionCell, ...]
    flagged: bool
    """Some function of theirs is on the review list and not cleared."""

    @property
    def share(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class CheckRate:
    name: str
    title: str
    functions: tuple[str, ...]
    passed: int
    total: int
    advisory: bool

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class ClassView:
    assignment: str
    students: tuple[StudentRow, ...]
    """By folder name."""
    causes: tuple[Cause, ...]
    """The most students first; those that cost no points (advisory checks) last."""
    checks: tuple[CheckRate, ...]
    """The least passed first (over the files that ran), advisory checks last."""
    functions: tuple[str, ...]
    absent: tuple[str, ...] = ()
    """Roster students with no folder at all."""
    names: dict[str, str] = field(default_factory=dict)

    @property
    def needs_help(self) -> tuple[StudentRow, ...]:
        """Under HELP_BELOW of the points, the lowest first; a file that did not run before one that ran."""
        low = [s for s in self.students if s.max_score and s.share < HELP_BELOW]
        return tuple(sorted(low, key=lambda s: (s.share, s.did_not_run is None, -len(s.causes), s.student)))

    @property
    def scores(self) -> list[float]:
        return [s.score for s in self.students]

    @property
    def max_score(self) -> float:
        return max((s.max_score for s in self.students), default=0.0)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.students else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores) if self.students else 0.0

    def name(self, student: str) -> str:
        return self.names.get(student) or student


_LINE = re.compile(r"\b(line|lines|cell) \d+(-\d+)?")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def cause_of(check: ScoredCheck) -> str:
    """The likely cause of one failed check, worded the same for every student who shares it."""
    if check.kind in _KINDS:
        return _KINDS[check.kind]
    if check.hint:
        return check.hint.strip()
    first = check.message.strip().splitlines()[0] if check.message.strip() else f"failed ({check.kind})"
    return _ADDRESS.sub("0x…", _LINE.sub(lambda m: f"{m.group(1)} …", first))


def whole_file_cause(graded: GradedSubmission) -> str | None:
    kind = did_not_run_kind(graded)
    if kind == "missing" and any("has no function named" in c.message for c in graded.checks):
        return _NONE_DEFINED
    return None if kind is None else _WHOLE_FILE.get(kind, _WHOLE_FILE["import"])


def _causes_of(graded: GradedSubmission, whole: str | None) -> list[tuple[str, ScoredCheck]]:
    """Each failed check with its cause. A file that did not run (``whole``: whole_file_cause) has one
    cause, on all of its checks.
    A training check of several functions fails as a consequence where one of them failed a check of
    its own: its cause is then left to that function's."""
    failed = [c for c in graded.checks if c.status == "failed"]
    if whole:
        return [(whole, c) for c in failed]
    own = {c.tags[0] for c in failed if len(c.tags) == 1}
    return [(cause_of(c), c) for c in failed if len(c.tags) == 1 or not own & set(c.tags)]


def class_view(graded: list[GradedSubmission], assignment: str, names: dict[str, str] | None = None,
               absent: tuple[str, ...] = ()) -> ClassView:
    names = dict(names or {})
    ordered = sorted(graded, key=lambda g: g.student)
    functions = tuple(dict.fromkeys(fn for g in ordered for c in g.checks if c.max_score > 0
                                    for fn in [owner(c, g.checks)] if fn))
    found: dict[str, dict] = {}
    for g in ordered:
        whole = whole_file_cause(g)
        for text, check in _causes_of(g, whole):
            entry = found.setdefault(text, {"students": {}, "functions": {}, "checks": {}, "whole_file": whole == text})
            entry["students"][g.student] = entry["students"].get(g.student, 0.0) + check.max_score - check.score
            fn = owner(check, g.checks)
            for name in ([fn] if fn else check.tags):
                entry["functions"][name] = None
            entry["checks"][check.title] = None
    causes = _merged([Cause(text=text, students=tuple(sorted(e["students"])), functions=tuple(e["functions"]),
                            checks=tuple(e["checks"]), points=round(sum(e["students"].values()), 6),
                            whole_file=e["whole_file"], lost=tuple(sorted(e["students"].items())))
                      for text, e in found.items()])
    mine: dict[str, list[str]] = {}
    for cause in causes:
        for student in cause.students:
            mine.setdefault(student, []).append(cause.text)
    rows = []
    for g in ordered:
        cells = []
        for fn in functions:
            own = [c for c in g.checks if c.max_score > 0 and owner(c, g.checks) == fn]
            cells.append(FunctionCell(fn, sum(c.score for c in own), sum(c.max_score for c in own)))
        rows.append(StudentRow(
            student=g.student, name=names.get(g.student) or g.student, score=g.score, max_score=g.max_score,
            late=g.late, did_not_run=did_not_run(g), causes=tuple(mine.get(g.student, ())),
            cells=tuple(cells), flagged=any(u.cleared is None for u in g.usage.flagged())))
    return ClassView(assignment=assignment, students=tuple(rows), causes=tuple(causes),
                     checks=tuple(_pass_rates(ordered)), functions=functions, absent=tuple(absent), names=names)


def _merged(causes: list[Cause]) -> list[Cause]:
    """Causes that cost the same students in the same functions are one misconception seen by several
    checks (sgd's "divide once" and its update check): one row, the costliest wording first."""
    groups: dict[tuple, list[Cause]] = {}
    for cause in sorted(causes, key=lambda c: (-c.points, -len(c.text), c.text)):  # the fuller wording first
        groups.setdefault((cause.students, cause.functions, cause.whole_file), []).append(cause)
    merged = []
    for group in groups.values():
        lost: dict[str, float] = {}
        for cause in group:
            for student, points in cause.lost:
                lost[student] = lost.get(student, 0.0) + points
        merged.append(Cause(text=group[0].text, students=group[0].students, functions=group[0].functions,
                            checks=tuple(dict.fromkeys(t for c in group for t in c.checks)),
                            points=round(sum(lost.values()), 6), whole_file=group[0].whole_file,
                            also=tuple(c.text for c in group[1:]), lost=tuple(sorted(lost.items()))))
    # Advisory checks' causes (no points lost) after every cause that cost points.
    return sorted(merged, key=lambda c: (c.points == 0, -len(c.students), -c.points, c.text))


def _pass_rates(graded: list[GradedSubmission]) -> list[CheckRate]:
    rows: dict[str, dict] = {}
    for g in graded:
        if did_not_run(g):
            continue
        for c in g.checks:
            row = rows.setdefault(c.name, {"title": c.title, "functions": c.tags, "passed": 0, "total": 0,
                                           "advisory": c.max_score == 0})
            row["total"] += 1
            row["passed"] += c.status == "passed"
    rates = [CheckRate(name=name, title=r["title"], functions=tuple(r["functions"]), passed=r["passed"],
                       total=r["total"], advisory=r["advisory"]) for name, r in rows.items()]
    return sorted(rates, key=lambda r: (r.advisory, r.rate, r.name))
