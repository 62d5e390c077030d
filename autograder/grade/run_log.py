"""grader.log: the run's log, in the grading process and in each worker it spawns."""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

log = logging.getLogger("autograder")


def log_to(path: Path) -> logging.Handler | None:
    """Send the run's log to ``path``; the handler added, or None if one was there already."""
    if any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path.resolve() for h in log.handlers):
        return None
    log.setLevel(logging.INFO)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    return handler


@contextlib.contextmanager
def logging_to(path: Path):
    """The run's log goes to ``path`` for the run only: the file is closed after, so that a process
    that grades several times (selftest, tests) neither leaks open files nor logs one run into another."""
    handler = log_to(path)
    try:
        yield
    finally:
        if handler is not None:
            log.removeHandler(handler)
            handler.close()
