"""Turning what went wrong in a student's code into a sentence a student can act on."""
from __future__ import annotations

import re

from autograder.checks.diagnose import known_hint, syntax_hint
from autograder.sandbox.errors import (WALL_FACTOR, BudgetExhausted, ImportFailed, MissingFunction, RaisedError,
                                       ReplyTooLarge,
                                       StudentCrashed, StudentError, StudentRaised, StudentTimedOut,
                                       UnsupportedReturn)


def _where(error: RaisedError, locate) -> str:
    if not error.frames:
        return ""
    line, func, text = error.frames[-1]
    place = f" ({locate(line)}, in {func}" + (f": `{text}`" if text else "") + ")"
    return place


def device_hint(fn: str | None, message: str) -> str | None:
    """For tensors on two devices: which one was made on the CPU, and what to pass instead."""
    if "on the same device" not in message or "cpu" not in message.lower():
        return None
    found = re.search(r"cuda:\d+", message)
    gpu = found.group(0) if found else "the GPU"
    if fn == "synthetic_data":
        return f"X was created on the CPU while w is on {gpu}: pass device=w.device."
    return (f"A tensor in {fn} was created on the CPU while its inputs are on {gpu}: pass "
            "device=X.device (or the parameters' device) where you create it.")


def top_level_problem(failure: dict, where) -> str:
    """What went wrong in one piece of the file's top level, in the same words for a .py's statement
    ("line 12") and a notebook's cell ("cell 4")."""
    label, kind = failure["label"], failure["kind"]
    piece = f"the statement at {label}" if label.startswith("line ") else label
    if kind == "syntax":
        return f"{where(failure['line'])} has a syntax error: {failure['message']}"
    if kind == "timeout":
        return f"{piece} {failure['message']}"
    return f"{piece} raised {failure['type']}: {failure['message']} ({where(failure['line'])})"


def never_defined(fn: str, failure: dict, filename: str, where) -> tuple[str, str | None, str]:
    """The checks of a function whose definition was in a piece of the top level that failed."""
    problem = top_level_problem(failure, where)
    if failure["kind"] == "syntax":
        return f"{fn} was never defined: {problem}.", syntax_hint(filename), "syntax"
    if failure["kind"] == "timeout":
        return (f"{fn} was never defined: {problem}.",
                "Code at the top level runs when the file is imported: keep long training under "
                "`if __name__ == \"__main__\":`.", "import")
    return (f"{fn} was never defined: {problem}.",
            known_hint(failure["message"]) or "Code at the top level runs when the file is imported: the cell "
            "or statement that defines the function must run without an error.", "import")


def explain(error: StudentError, filename: str, locate=None) -> tuple[str, str | None, str]:
    """(message, hint, kind) for a failure that came from the student's code.

    ``locate(line)`` names a line of the imported source in the student's terms (for a
    notebook, "cell 4, line 2 of NAME.ipynb"); by default "line N of FILENAME".
    """
    where = locate or (lambda line: f"line {line} of {filename}")
    if isinstance(error, StudentRaised):
        e = error.error
        if e.type == "NotImplementedError":
            return (f"{error.fn} is not implemented yet.",
                    f"Replace `raise NotImplementedError` in {error.fn} with your code.", "not_implemented")
        if e.type == "SystemExit":
            return (f"{error.fn} called sys.exit() ({e.message}){_where(e, where)}.",
                    "A function should return its result, never end the program.", "error")
        if e.type == "KeyboardInterrupt":
            return (f"{error.fn} raised KeyboardInterrupt{_where(e, where)}.",
                    "Remove code that raises KeyboardInterrupt or waits for input.", "error")
        return (f"{error.fn} raised {e.type}: {e.message}{_where(e, where)}.",
                device_hint(error.fn, e.message) or known_hint(e.message, error.fn), "error")
    if isinstance(error, StudentTimedOut):
        hint = ("Look for a loop that never ends, such as `while True` or a generator that never stops, "
                "or for work far slower than it needs to be (a Python loop over every element). If there is "
                "neither, the grading machine may have been overloaded: tell your instructor.")
        if error.earlier:
            return (f"{error.fn} did not finish within {error.seconds:g} s in an earlier check, so it "
                    "was not called again.", hint, "timeout")
        if error.wall:
            again = ", twice (it was run again in a fresh process)" if error.retried else ""
            return (f"{error.fn} did not answer within {error.seconds * WALL_FACTOR:g} s{again}, while using "
                    f"less than {error.seconds:g} s of processor time: it waited or slept.", hint, "timeout")
        return (f"{error.fn} did not finish within {error.seconds:g} s of processor time.", hint, "timeout")
    if isinstance(error, BudgetExhausted):
        return (f"Grading stopped here: {error.detail}.",
                "Some function is very slow or never finishes; see the first check that timed out.",
                "timeout")
    if isinstance(error, ReplyTooLarge):
        return (f"{error.detail}.", "Return what the function's contract asks for, of the size of its inputs.",
                "crash")
    if isinstance(error, StudentCrashed):
        return (f"The Python process running your code died during {error.fn or 'start-up'}: {error.detail}.",
                "os._exit(), a crash, or running out of memory ends the whole process.", "crash")
    if isinstance(error, MissingFunction):
        if error.cause is not None:
            return never_defined(error.fn, error.cause, filename, where)
        return (f"{filename} has no function named {error.fn}.",
                f"Keep the name and the signature of the stub: def {error.fn}(...).", "missing")
    if isinstance(error, UnsupportedReturn):
        return (f"{error.fn} returned {error.detail}; the grader accepts tensors, numbers, and lists or "
                "tuples of them.", "Return torch tensors, as the docstring says.", "error")
    if isinstance(error, ImportFailed):
        e = error.error
        if e.type == "SyntaxError":
            return (f"{filename} has a syntax error{_where(e, where)}: {e.message}.",
                    ("Run the cell to see the error, and fix it first." if filename.endswith(".ipynb") else
                     "Run `python " + filename + "` to see the error, and fix it first."), "import")
        if e.type == "Timeout":
            return (f"{filename} could not be loaded: {e.message}.",
                    "Code at the top level of the file runs on import; move loops and training into "
                    "functions or under `if __name__ == '__main__':`.", "import")
        return (f"{filename} could not be imported: {e.type}: {e.message}{_where(e, where)}.",
                known_hint(e.message) or "Code at the top level of the file runs on import; keep only "
                "imports and function definitions there.", "import")
    return (str(error), None, "error")
