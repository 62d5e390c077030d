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


def did_not_run(graded: GradedSubmission) -> str | None:
    """The one problem that kept the whole file from running, or None."""
    scored = [c for c in graded.checks if c.max_score > 0] or list(graded.checks)
    if scored and all(c.status == "failed" and c.kind in WHOLE_FILE_KINDS for c in scored):
        causes = {whole_file_cause(c.message) for c in scored}
        return causes.pop() if len(causes) == 1 else whole_file_cause(scored[0].message)
    return None


def under_banner(graded: GradedSubmission, banner: str | None) -> set[str]:
    """The failed checks whose message is the banner's problem (shown once, above them)."""
    if banner is None:
        return set()
    return {c.name for c in graded.checks if c.status == "failed" and whole_file_cause(c.message) == banner}
