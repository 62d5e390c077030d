"""Stage 2b: what each function a student writes used, judged once.

Two sources say what a function used: the grader's reading of the source (static_scan: tools that
reach into the grader, where a graded function can reach them) and the watch in the student
process (what the function ran: operations outside its allowlist, forbidden calls, tampering seen
while it ran). This stage puts them together with the function's rules (grading.toml's operators
and forbidden calls) and the instructor's clearances into one typed verdict per function, which
scoring reads, and which the reports show as the review list.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from autograder.config import Clearance, GradingConfig
from autograder.static_scan import Reading

TOP_LEVEL = "<module>"


@dataclass(frozen=True)
class Flag:
    """One thing a function used that its rules do not allow."""

    what: str
    """The API or tool, as the student reads it."""
    tampering: bool
    """A tool that reaches into the grader (else: an operation outside the function's rules)."""
    where: str = ""
    """Where it was seen: a line of the file, or "while it ran"."""

    def as_dict(self) -> dict:
        return {"what": self.what, "kind": "tampering" if self.tampering else "outside_rules", "where": self.where}


@dataclass(frozen=True)
class FunctionUsage:
    """The verdict on one function: its flags, what its rules allow, and an instructor's clearance."""

    function: str
    flags: tuple[Flag, ...] = ()
    allowed: str = ""
    """What the rules allow, in words ("" for a function without an allowlist)."""
    cleared: Clearance | None = None

    @property
    def costs(self) -> bool:
        """Whether the function's checks earn nothing: it is flagged and nobody cleared it."""
        return bool(self.flags) and self.cleared is None

    @property
    def tampering(self) -> bool:
        return any(f.tampering for f in self.flags)

    @property
    def kind(self) -> str:
        return "tampering" if self.tampering else "forbidden"

    def note(self) -> str:
        """What the student reads at the top of each of the function's checks."""
        fn = self.function
        if self.tampering:
            tools = "; ".join(_with_place(f) for f in self.flags if f.tampering)
            return (f"0 points: your {fn} uses {tools}. Graded code may not reach into the grader or switch off "
                    f"its checks, so checks of {fn} earn nothing while it does. If this is a mistake, ask your "
                    "instructor to review your code by hand.")
        names = ", ".join(f.what for f in self.flags)
        rule = (f"This exercise asks you to build {fn} from {self.allowed}" if self.allowed else
                f"This exercise asks you to build {fn} yourself, without it")
        return (f"0 points: your {fn} uses {names}: ready-made, or outside what this exercise allows in {fn}. "
                f"{rule}, so checks of {fn} earn nothing while it does. If you believe your code is within the "
                "rules, ask your instructor to review it.")

    def as_dict(self) -> dict:
        out = {"flags": [f.as_dict() for f in self.flags]}
        if self.cleared is not None:
            out["cleared"] = {"reason": self.cleared.reason, "by": self.cleared.by, "digest": self.cleared.digest}
        return out


def _with_place(flag: Flag) -> str:
    return f"{flag.what} ({flag.where})" if flag.where else flag.what


@dataclass(frozen=True)
class Usage:
    """What every function of one submission used: the one verdict scoring reads."""

    functions: dict = field(default_factory=dict)
    """function -> FunctionUsage, for the functions that were flagged."""
    digest: str = ""
    """sha256 of the graded source, which a clearance names."""

    def costing(self, tags) -> list[FunctionUsage]:
        """The functions among ``tags`` whose flags cost a check its points."""
        return [self.functions[fn] for fn in tags if fn in self.functions and self.functions[fn].costs]

    def flagged(self) -> list[FunctionUsage]:
        return [u for _, u in sorted(self.functions.items())]

    def as_dict(self) -> dict:
        return {fn: u.as_dict() for fn, u in sorted(self.functions.items())}


def digest_of(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def judge_usage(*, reading: Reading, outside: dict, tampering: dict, config: GradingConfig, assignment: str,
                functions, student: str, digest: str, locate) -> Usage:
    """One verdict per function from the reading, the watch's findings and the rules.

    ``outside``: function -> names the watch recorded (operations outside the function's rules,
    forbidden calls); ``tampering``: function -> tools the watch saw switch it off. Findings of the
    file's top level (function "<module>") count against every function."""
    flags: dict[str, list[Flag]] = {}

    def add(fn: str, flag: Flag) -> None:
        for target in (functions if fn == TOP_LEVEL else [fn]):
            kept = flags.setdefault(target, [])
            if all(k.what != flag.what for k in kept):
                kept.append(flag)

    for finding in reading.findings:
        add(finding.function, Flag(finding.what, True, locate(finding.line) if finding.line else ""))
    for fn, tools in tampering.items():
        for tool in tools:
            add(fn, Flag(tool, True, "left behind by the top level of the file" if fn == TOP_LEVEL
                         else "seen while it ran"))
    for fn, names in outside.items():
        for name in names:
            add(fn, Flag(name, False))
    verdicts = {}
    for fn, found in flags.items():
        allow = config.allowlist(assignment, fn)
        verdicts[fn] = FunctionUsage(fn, tuple(found), allow.description if allow is not None else "",
                                     config.clearance(student, assignment, fn, digest))
    return Usage(verdicts, digest)
