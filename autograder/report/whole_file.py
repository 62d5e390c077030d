"""A file that did not run at all (a syntax error that takes the whole file, no file): one problem,
shown once, at the top of every view of the student's results (feedback.html, results.json's
output, nbgrader's comments), and not again on each check it failed."""
from __future__ import annotations

import re

from autograder.grade.scoring import GradedSubmission

WHOLE_FILE_KINDS = frozenset({"import", "missing", "syntax", "unreadable"})
_NEVER_DEFINED = re.compile(r"^\w+ was never defined: ")


def whole_file_cause(message: str) -> str:
    """"sgd was never defined: line 1 of x.py has a syntax error" -> "Line 1 of x.py has a syntax error"."""
    cause = _NEVER_DEFINED.sub("", message.strip(), count=1)
    return cause[:1].upper() + cause[1:]


# The problem that explains the others: a syntax error is why the functions after it are missing.
_FIRST_CAUSE = ("syntax", "unreadable", "import", "missing")


def _first_cause(graded: GradedSubmission):
    scored = [c for c in graded.checks if c.max_score > 0] or list(graded.checks)
    if scored and all(c.status == "failed" and c.kind in WHOLE_FILE_KINDS for c in scored):
        return min(scored, key=lambda c: _FIRST_CAUSE.index(c.kind))
    return None


def did_not_run(graded: GradedSubmission) -> str | None:
    """The one problem that kept the whole file from running, or None."""
    first = _first_cause(graded)
    return whole_file_cause(first.message) if first is not None else None


def did_not_run_kind(graded: GradedSubmission) -> str | None:
    """syntax, unreadable, import or missing: the kind of that problem, or None."""
    first = _first_cause(graded)
    return first.kind if first is not None else None


def under_banner(graded: GradedSubmission, banner: str | None) -> set[str]:
    """The failed checks whose message is the banner's problem (shown once, above them)."""
    if banner is None:
        return set()
    return {c.name for c in graded.checks if c.status == "failed" and whole_file_cause(c.message) == banner}
