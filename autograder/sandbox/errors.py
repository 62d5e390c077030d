"""What can go wrong when the grader calls a student's function."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RaisedError:
    """An exception the student's code raised, reduced to plain data."""

    type: str
    message: str
    frames: tuple = field(default=())
    """(line number, function, source line) in the student's own file, innermost last."""


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
    def __init__(self, fn: str | None, seconds: float, earlier: bool = False):
        super().__init__(fn, f"no answer within {seconds:g} s")
        self.seconds = seconds
        self.earlier = earlier


class StudentCrashed(StudentError):
    """The student process ended in the middle of a call (os._exit, a signal, memory)."""


class MissingFunction(StudentError):
    pass


class ImportFailed(StudentError):
    def __init__(self, error: RaisedError):
        super().__init__(None, f"{error.type}: {error.message}")
        self.error = error


class UnsupportedReturn(StudentError):
    """The function returned something other than tensors, numbers and lists of them."""


class BudgetExhausted(StudentError):
    """The submission used up its total time budget."""
