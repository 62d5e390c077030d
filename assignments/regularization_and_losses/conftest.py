"""Runs this folder's checks on your file as the grader runs it, with short messages. You do not
need to edit this file.

Your file is run one top-level statement at a time (student_support.py): a statement that raises
or does not parse is skipped, and only the checks of what it never defined fail, with the reason.
Where d2l is not installed, `from d2l import torch as d2l` works as where your work is graded: its
tensor aliases are torch's, and a function that calls d2l's own solution (d2l.sgd) fails its checks,
as it gets no points there."""
from pathlib import Path

import pytest

from student_support import NotDefined, ReadyMade, explain, install, likely_cause, top_level_problems

install(Path(__file__).parent)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None or report.when != "call":
        return
    error = call.excinfo.value
    if isinstance(error, (NotImplementedError, NotDefined, ReadyMade)) or (isinstance(error, AssertionError) and str(error)):
        report.longrepr = explain(error)
    else:
        # An error in your code: the short traceback, then what it usually means (the grader says the same).
        hint = likely_cause(error)
        if hint:
            report.longrepr = f"{report.longrepr}\nLikely cause: {hint}"


def pytest_terminal_summary(terminalreporter):
    for problem in top_level_problems():
        terminalreporter.write_line(f"Your file's top level: {problem}; the rest of the file ran anyway "
                                    "(as where it is graded).", yellow=True)
