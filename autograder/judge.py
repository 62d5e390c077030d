"""Stage 2: run every check of an assignment against one submission, on each device."""
from __future__ import annotations

import ast
import logging
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Literal

import torch

from autograder.checks.api import CheckContext, CheckFailed, CheckSpec
from autograder.config import GradingConfig
from autograder.feedback import explain
from autograder.sandbox.errors import ImportFailed, RaisedError, StudentError
from autograder.sandbox.proxy import CallLimits, StudentModule
from autograder.sandbox.runner import ProcessSpec
from autograder.seeds import derive_seed
from autograder.submission import Submission

log = logging.getLogger("autograder")

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class CheckOutcome:
    """What one check found on one device, before points are applied."""

    check: CheckSpec
    device: str
    status: Status
    message: str = ""
    """What was expected and what the student's code did (empty when passed)."""
    hint: str | None = None
    """The likely misconception, in one sentence."""
    kind: str = "ok"
    """ok, wrong, error, timeout, crash, missing, import, not_implemented, internal, skipped."""
    artifacts: dict = field(default_factory=dict)
    """What the check recorded for the reports (CheckContext.record)."""


@dataclass(frozen=True)
class SubmissionRun:
    """Everything the checks found about one submission."""

    submission: Submission
    assignment: str
    outcomes: tuple[CheckOutcome, ...]
    forbidden: dict = field(default_factory=dict)
    """Student function -> ready-made APIs it called."""
    notes: tuple[str, ...] = ()
    """Submission-wide remarks: skipped devices, restarts, printed output."""
    protections: dict = field(default_factory=dict)
    """What confined the student process: {"in_force": [...], "missing": [...]}."""


@dataclass(frozen=True)
class GradingPlan:
    """What stays the same for every submission of one grading run."""

    assignment: str
    checks: tuple[CheckSpec, ...]
    reference: ModuleType
    config: GradingConfig

    @property
    def filename(self) -> str:
        return f"{self.assignment}.py"

    def devices(self) -> list[tuple[str, str | None]]:
        """(device, reason it is skipped or None) for each configured device."""
        out = []
        for device in self.config.run.devices:
            if device == "cuda" and not torch.cuda.is_available():
                out.append((device, "no CUDA device is available on the grading machine"))
            else:
                out.append((device, None))
        return out


def _syntax_problem(source: bytes, filename: str) -> ImportFailed | None:
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        frames = ((exc.lineno or 0, "<module>", (exc.text or "").strip()),)
        return ImportFailed(RaisedError("SyntaxError", exc.msg, frames))
    except ValueError as exc:  # null bytes and the like
        return ImportFailed(RaisedError("SyntaxError", str(exc), ()))
    return None


def judge(submission: Submission, plan: GradingPlan) -> SubmissionRun:
    devices = plan.devices()
    notes = [f"The {d} checks were skipped: {why}; they are not counted in the maximum score."
             for d, why in devices if why]
    if submission.path is None:
        outcomes = _all_failed(plan, devices, submission.problem or "No file.", None, "missing")
        return SubmissionRun(submission, plan.assignment, outcomes, notes=tuple(notes))
    if submission.note:
        notes.insert(0, submission.note)
    source = submission.source()
    syntax = _syntax_problem(source, plan.filename)
    if syntax is not None:
        message, hint, kind = explain(syntax, submission.filename or plan.filename, submission.locate)
        return SubmissionRun(submission, plan.assignment,
                             _all_failed(plan, devices, message, hint, kind), notes=tuple(notes))
    scratch = Path(tempfile.mkdtemp(prefix="autograder-"))
    try:
        copy = scratch / plan.filename
        copy.write_bytes(source)
        limits = plan.config.limits
        settings = plan.config.assignment(plan.assignment)
        spec = ProcessSpec(copy, tuple(settings.forbidden_calls), limits.startup_timeout_s,
                           plan.config.policy(str(scratch)), plan.config.run.threads,
                           tuple(plan.config.sandbox.stub_imports), tuple(settings.noted_calls))
        student = StudentModule(spec, CallLimits(limits.call_timeout_s, limits.submission_timeout_s,
                                                 limits.max_items, limits.check_timeout_s))
        try:
            where = (submission.filename, submission.locate)
            outcomes = [_run_one(check, device, why, student, plan, where)
                        for device, why in devices for check in plan.checks]
            printed = student.output_tail()
        finally:
            student.close()
        if student.protections.get("missing"):
            notes.append("Note for the instructor: these protections were not in force while this "
                         "submission ran: " + "; ".join(student.protections["missing"]))
        if student.restarts:
            notes.append(f"Your code's process was restarted {student.restarts} time(s) after a "
                         "crash or a timeout; only the checks involved lost points.")
        if printed.strip():
            notes.append("Your code printed (last lines):\n" + printed.strip())
        return SubmissionRun(submission, plan.assignment, tuple(outcomes),
                             forbidden=dict(student.forbidden_hits), notes=tuple(notes),
                             protections=dict(student.protections))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _all_failed(plan, devices, message, hint, kind) -> tuple[CheckOutcome, ...]:
    return tuple(CheckOutcome(c, d, "skipped", why, None, "skipped") if why else
                 CheckOutcome(c, d, "failed", message, hint, kind)
                 for d, why in devices for c in plan.checks)


def _run_one(check: CheckSpec, device: str, skip_reason: str | None, student: StudentModule,
             plan: GradingPlan, where: tuple) -> CheckOutcome:
    if skip_reason:
        return CheckOutcome(check, device, "skipped", skip_reason, None, "skipped")
    seed = derive_seed(plan.config.run.seed, plan.assignment, check.seed_key, device)
    student.begin_check(seed)
    ctx = CheckContext(torch.device(device), seed)
    try:
        check.func(student, plan.reference, ctx)
    except CheckFailed as failed:
        return CheckOutcome(check, device, "failed", failed.message, failed.hint, "wrong", ctx.artifacts)
    except StudentError as error:
        message, hint, kind = explain(error, *where)
        return CheckOutcome(check, device, "failed", message, hint, kind, ctx.artifacts)
    except Exception:  # noqa: BLE001 - a bug in the kit must not stop the class's grading
        log.error("internal error in check %s on %s:\n%s", check.id, device, traceback.format_exc())
        return CheckOutcome(check, device, "failed",
                            "The grader itself failed in this check; this is not your fault.",
                            "Tell your instructor: the grader's log has the details.", "internal")
    return CheckOutcome(check, device, "passed", artifacts=ctx.artifacts)
