"""Makes the public checks' reports short and friendly. You do not need to edit this file."""
import pytest

from diagnose import known_hint


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None or report.when != "call":
        return
    error = call.excinfo.value
    if isinstance(error, NotImplementedError):
        report.longrepr = f"{error} — fill in this function's body, then run pytest again."
    elif isinstance(error, AssertionError) and str(error):
        report.longrepr = str(error)
    else:
        # An error in your code: the short traceback, then what it usually means (the grader says the same).
        hint = known_hint(f"{type(error).__name__}: {error}")
        if hint:
            report.longrepr = f"{report.longrepr}\nLikely cause: {hint}"
