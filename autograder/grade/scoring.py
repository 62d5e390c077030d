"""Stage 3: apply grading.toml's points, and zero the functions that used ready-made APIs.

Points belong to a check, not to a device: a check earns its points when it passed on every
device it ran on, so that a grade is the same on a laptop and on a GPU box.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from autograder.config import GradingConfig
from autograder.grade.judge import CheckOutcome, SubmissionRun
from autograder.grade.usage import Usage
from autograder.sandbox.errors import clean_text


@dataclass(frozen=True)
class ScoredCheck:
    """One row of a student's results: a check, on every device it ran on, with its points."""

    check_id: str
    devices: tuple[str, ...]
    """The devices it ran on."""
    failed_on: tuple[str, ...]
    """The devices where it failed (empty when it passed)."""
    title: str
    tags: tuple[str, ...]
    advisory: bool
    score: float
    max_score: float
    status: str
    """passed or failed."""
    output: str
    """The feedback shown to the student."""
    kind: str
    public: bool = False
    """Visible to students before grades are published (see CheckSpec.public)."""
    message: str = ""
    """What went wrong, when the check failed (also inside ``output``)."""
    hint: str | None = None
    """The likely misconception, when the check failed (also inside ``output``)."""
    artifacts: dict = field(default_factory=dict)
    """What the check recorded for the reports, such as a loss curve."""
    visibility: str = "after_published"
    """Gradescope's visibility: visible for public checks, [results] reference_checks_visibility otherwise."""

    @property
    def name(self) -> str:
        return self.check_id


@dataclass(frozen=True)
class GradedSubmission:
    student: str
    assignment: str
    checks: tuple[ScoredCheck, ...]
    notes: tuple[str, ...]
    protections: dict
    usage: Usage = field(default_factory=Usage)
    """What each function used that its rules do not allow, and any instructor's clearance (usage.py)."""
    seed: int = 0
    """The run seed every check's seed derived from: the same seed grades the same way, bit for bit."""
    late: bool = False
    """Handed in late (Canvas's download marks it so)."""
    printed: str = ""
    """The last of what the student's code printed (held back until grades are published on Gradescope)."""
    canvas_name: str | None = None
    """The head of the graded file's name in Canvas's download (submission.py), for the feedback zip."""

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_score for c in self.checks), 6)

    @property
    def missing_protections(self) -> list[str]:
        """"device: what was not in force, and why", for each device's student process."""
        return [f"{device}: {item}" for device, report in sorted(self.protections.items())
                for item in report.get("missing", [])]


def _merge(outcomes: list[CheckOutcome]) -> CheckOutcome:
    """One outcome for a check from its outcomes on each device: the first failure, naming its
    device where the check ran on more than one."""
    failed = [o for o in outcomes if o.status != "passed"]
    if not failed:
        return outcomes[0]
    first = failed[0]
    if len(outcomes) == 1:
        return first
    passed_on = [o.device for o in outcomes if o.status == "passed"]
    where = f"On {first.device}" + (f" (it passed on {', '.join(passed_on)})" if passed_on else "")
    return replace(first, message=f"{where}: {first.message}")


def _feedback(outcome: CheckOutcome) -> str:
    lines = [outcome.check.title]
    if outcome.status == "passed":
        lines.append("Passed.")
    else:
        lines.append(outcome.message)
        if outcome.hint:
            lines.append(f"Likely cause: {outcome.hint}")
    if outcome.check.advisory:
        lines.append("(Advisory: this goes beyond the book's contract.)")
    return "\n".join(lines)


def score(run: SubmissionRun, config: GradingConfig) -> GradedSubmission:
    by_check: dict[str, list[CheckOutcome]] = {}
    for outcome in run.outcomes:
        by_check.setdefault(outcome.check.id, []).append(outcome)
    rows = []
    for outcomes in by_check.values():
        outcome = _merge(outcomes)
        check = outcome.check
        points = config.points_for(run.assignment, check.id, check.advisory)
        signature = _signature_hint(run.signature_hints, outcome, check, by_check)
        if signature:
            outcome = replace(outcome, hint=signature)  # the likeliest cause of whatever went wrong
        feedback, passed, kind = _feedback(outcome), outcome.status == "passed", outcome.kind
        message = outcome.message if not passed else ""
        costing = run.usage.costing(check.tags)
        if costing:
            tampered = [u for u in costing if u.tampering]
            note = "\n".join(u.note() for u in (tampered or costing))
            feedback = note + "\n\n" + feedback
            message = note + ("\n\n" + message if message else "")
            passed, kind = False, "tampering" if tampered else "forbidden"
        hint = None if outcome.status == "passed" else outcome.hint
        rows.append(ScoredCheck(check.id, tuple(o.device for o in outcomes),
                                tuple(o.device for o in outcomes if o.status != "passed"), check.title,
                                check.tags, check.advisory, points if passed else 0.0, points,
                                "passed" if passed else "failed", clean_text(feedback), kind, check.public,
                                clean_text(message), hint and clean_text(hint), dict(outcome.artifacts),
                                "visible" if check.public else config.results.reference_checks_visibility))
    cleared = tuple(f"Your instructor read your {u.function} and cleared what the grader had flagged "
                    f"({', '.join(f.what for f in u.flags)}): {u.cleared.reason}"
                    for u in run.usage.flagged() if u.cleared is not None)
    # Messages quote what the student's code raised, printed and returned: no terminal escapes.
    return GradedSubmission(run.submission.student, run.assignment, tuple(rows),
                            tuple(clean_text(n) for n in (*run.notes, *cleared)), dict(run.protections),
                            run.usage, config.run.seed, run.submission.late, clean_text(run.printed),
                            run.submission.canvas_name)


def _signature_hint(hints: dict, outcome: CheckOutcome, check, by_check: dict) -> str | None:
    """A hint to keep a function's stub signature, where the failure is that function's: the check is
    about it, or it is the function that raised. Another function's signature never takes the place
    of this failure's own cause."""
    if outcome.status == "passed" or not hints:
        return None
    mine = owner(check, [outcomes[0].check for outcomes in by_check.values()])
    for fn in check.tags:
        if fn in hints and (fn == mine or outcome.message.startswith(f"{fn} ")):
            return hints[fn]
    return None


def owner(check, checks) -> str | None:
    """The function a check is about: its only tag; for a check of several functions (a training
    run), its first, where that function has no checks of its own (concise train)."""
    if len(check.tags) == 1:
        return check.tags[0]
    if check.tags and not any(c.tags == (check.tags[0],) for c in checks):
        return check.tags[0]
    return None
