"""What can go wrong when the grader calls a student's function."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RaisedError:
    """An exception the student's code raised, reduced to plain data."""

    type: str
    message: str
    frames: tuple = field(default=())
    """(line number, function, source line) in the student's own file, innermost last."""
    traceback: str = ""
    """The whole traceback, for the instructor only (the canary shows it); never shown to students."""


WALL_FACTOR = 3
"""A call may take this many times its CPU-time limit in wall time (proxy.StudentSession._request)."""

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(text: str, limit: int = 20_000) -> str:
    """Text that came from a student's side, safe for a terminal, JSON and HTML: control
    characters (terminal escapes, carriage returns) and bidirectional overrides become "?", and
    the length is capped."""
    text = text if isinstance(text, str) else str(text)
    if len(text) > limit:
        text = text[:limit] + "…"
    return _UNSAFE.sub("?", text)


def raised_error_from(data) -> RaisedError:
    """A RaisedError from the student process's description of an exception, whatever shape it
    came in: the student's code can forge it, so every field is checked and capped."""
    data = data if isinstance(data, dict) else {}

    def text(value, limit: int) -> str:
        return clean_text(value, limit) if isinstance(value, str) else ""

    frames = []
    raw = data.get("frames")
    for frame in (raw if isinstance(raw, list) else [])[-5:]:
        if (isinstance(frame, (list, tuple)) and len(frame) == 3 and isinstance(frame[0], int)
                and not isinstance(frame[0], bool)):
            frames.append((frame[0], text(frame[1], 200), text(frame[2], 300)))
    return RaisedError(text(data.get("type"), 100) or "Error", text(data.get("message"), 2000),
                       tuple(frames), text(data.get("traceback"), 4000))


class StudentError(Exception):
    """Base class: the student's code, not the check, is why this call has no answer."""

    def __init__(self, fn: str | None, detail: str = ""):
        super().__init__(detail or (fn or ""))
        self.fn = fn
        self.detail = detail


class StudentRaised(StudentError):
    def __init__(self, fn: str, error: RaisedError):
        super().__init__(fn, f"{error.type}: {error.message}")
        self.error = error


class StudentTimedOut(StudentError):
    def __init__(self, fn: str | None, seconds: float, earlier: bool = False, wall: bool = False,
                 retried: bool = False):
        super().__init__(fn, f"no answer within {seconds:g} s")
        self.seconds = seconds
        self.earlier = earlier
        self.wall = wall
        """The wall-time cap ran out, not the CPU time: the code slept, or the machine starved it."""
        self.retried = retried
        """It ran out twice: it was tried again in a fresh process first."""


class StudentCrashed(StudentError):
    """The student process ended in the middle of a call (os._exit, a signal, memory)."""


class ReplyTooLarge(StudentCrashed):
    """A reply over limits.reply_mb: refused by its size before it was read, and the process stopped."""


class MissingFunction(StudentError):
    def __init__(self, fn: str, cause: dict | None = None):
        super().__init__(fn, "missing")
        self.cause = cause
        """The failed piece of the top level that would have defined it (student_side/top_level.py), if any."""


class ImportFailed(StudentError):
    def __init__(self, error: RaisedError):
        super().__init__(None, f"{error.type}: {error.message}")
        self.error = error


class UnsupportedReturn(StudentError):
    """The function returned something other than tensors, numbers and lists of them."""


class BudgetExhausted(StudentError):
    """The submission used up its total time budget."""


class SandboxFault(Exception):
    """The grading machine, not the student's code, failed: the shim or the confinement of the
    student process broke before the submission ran. The message holds its traceback."""
