"""Stage 2: run every check of an assignment against one submission, on each device."""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import sys
import threading
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Literal

import torch

from autograder.checks.api import CheckContext, CheckFailed, CheckSpec
from autograder.checks.runs import RunCache
from autograder.checks.registry import load_checks
from autograder.config import GradingConfig, load_config
from autograder.grade.feedback import explain, top_level_problem
from autograder.kit import find_kit
from autograder.manifest import Manifest, read_manifest
from autograder.sandbox.errors import StudentError
from autograder.sandbox.protocol import TRUNCATED
from autograder.sandbox.grader_side.proxy import CallLimits, StudentSession, calibrated_limits
from autograder.sandbox.grader_side.runner import ProcessSpec
from autograder.sandbox.student_side.confine import Policy
from autograder.seeds import derive_seed
from autograder.static_scan import read, signature_hints, signatures
from autograder.grade.submission import Submission
from autograder.grade.usage import TOP_LEVEL, Usage, digest_of, judge_usage

log = logging.getLogger("autograder")

Status = Literal["passed", "failed"]


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
    """ok, wrong, error, timeout, crash, missing, import, not_implemented, internal."""
    artifacts: dict = field(default_factory=dict)
    """What the check recorded for the reports (CheckContext.record)."""
    detail: str = ""
    """For the instructor only: the traceback of a failure of the grader itself."""


@dataclass(frozen=True)
class SubmissionRun:
    """Everything the checks found about one submission."""

    submission: Submission
    assignment: str
    outcomes: tuple[CheckOutcome, ...]
    usage: Usage = field(default_factory=Usage)
    """What each function used that its rules do not allow (usage.py), the one verdict scoring reads."""
    signature_hints: dict = field(default_factory=dict)
    """Student function -> a hint, when it does not take the stub's parameters."""
    notes: tuple[str, ...] = ()
    """Submission-wide remarks for the student: which file was graded, restarts, the top level's failures."""
    printed: str = ""
    """The last of what the student's code printed: it can quote the checks' inputs, so it is shown when
    the checks that compare with the reference are (Gradescope's visibility)."""
    protections: dict = field(default_factory=dict)
    """What confined the student process on each device: {device: {"in_force": [...], "missing": [...]}}."""
    call_cpu_s: dict = field(default_factory=dict)
    """Student function -> the processor time of its slowest single call, on any device."""


@dataclass(frozen=True)
class GradingPlan:
    """What stays the same for every submission of one grading run."""

    assignment: str
    checks: tuple[CheckSpec, ...]
    reference: ModuleType
    config: GradingConfig
    manifest: Manifest
    runs: RunCache = field(default_factory=RunCache, compare=False, repr=False)
    """The reference's runs the checks share (``ctx.reference_run``), one cache per grading run:
    a forked worker starts with the canary's."""
    call_limits: dict = field(default_factory=dict, compare=False, repr=False)
    """Function -> the processor time one call may take, calibrated on the canary (calibrate_calls);
    empty before it ran, when every call gets limits.call_timeout_s."""

    def calibrate_calls(self, measured: dict) -> None:
        """Set the per-function call limits from the canary's slowest single calls."""
        limits = self.config.limits
        self.call_limits.clear()
        self.call_limits.update(calibrated_limits(measured, limits.call_timeout_s, limits.call_factor,
                                                  limits.call_floor_s))

    @classmethod
    def load(cls, kit_root: Path, assignment: str, config_path: Path, devices: tuple[str, ...] = ()) -> GradingPlan:
        """The plan of one assignment: its checks (held to the manifest and the config), reference and
        config, with ``devices`` (if any) instead of grading.toml's."""
        found = find_kit(kit_root)
        config = load_config(config_path)
        if devices:
            config = config.with_devices(list(devices))
        checks = load_checks(found, assignment)
        manifest = read_manifest(found, assignment)
        config.validate_checks(assignment, {c.id for c in checks}, manifest.functions)
        return cls(assignment, tuple(checks), found.reference(assignment), config, manifest)

    @property
    def filename(self) -> str:
        return f"{self.assignment}.py"

    @property
    def functions(self) -> tuple[str, ...]:
        """The functions students write (the manifest's; every check's tags are among them)."""
        return self.manifest.functions

    @functools.cached_property
    def contract(self) -> dict[str, list[str]]:
        """The parameters of each function the checks exercise, as the reference defines them."""
        defined = signatures(Path(self.reference.__file__).read_bytes())
        return {name: params for name, params in defined.items() if name in self.functions}

    def devices(self, check: CheckSpec | None = None) -> list[str]:
        """The devices a check runs on: the configured ones it declares (every one, by default)."""
        configured = list(self.config.run.devices)
        if check is None or check.devices is None:
            return configured
        return [d for d in configured if d in check.devices] or configured[:1]


class DeviceUnavailable(Exception):
    """A device the grading run asks for is not on this machine; grading must not go on."""


def _no_cuda(why: str) -> DeviceUnavailable:
    return DeviceUnavailable(f"cuda was asked for (grading.toml [run] devices or --devices), but {why}. "
                             "Grade with --devices cpu, or on a machine with a GPU.")


def require_devices(devices) -> None:
    """Raise DeviceUnavailable for a configured device this process cannot use.

    Call it only where CUDA may start: in a worker, never in a process that forks afterwards."""
    if "cuda" in devices and not torch.cuda.is_available():
        raise _no_cuda(f"torch {torch.__version__} sees no CUDA device on this machine "
                       f"(built for CUDA: {torch.version.cuda or 'no, a CPU-only build'})")


def require_devices_before_grading(devices) -> None:
    """The same, before anything starts and without starting CUDA (safe before a fork): a CPU-only
    torch, or a Linux machine with no NVIDIA device file, cannot grade on cuda. What this cannot
    tell (a driver that fails) the workers' require_devices and the canary still catch."""
    if "cuda" not in devices:
        return
    if torch.version.cuda is None and not getattr(torch.version, "hip", None):
        raise _no_cuda(f"torch {torch.__version__} is a CPU-only build")
    if sys.platform.startswith("linux") and not any(Path("/dev").glob("nvidia[0-9]*")) \
            and not Path("/dev/kfd").exists():
        raise _no_cuda("this machine has no GPU device (no /dev/nvidia0)")


def judge(submission: Submission, plan: GradingPlan) -> SubmissionRun:
    require_devices(plan.config.run.devices)
    notes = []
    if submission.path is None:
        # No file at all, or one that could not be read (a link, a notebook that is not one).
        outcomes = _all_failed(plan, submission.problem or "No file.", None,
                               "missing" if submission.no_file else "unreadable")
        return SubmissionRun(submission, plan.assignment, outcomes)
    if submission.note:
        notes.append(submission.note)
    source = submission.source()
    cells = submission.script.cells if submission.script is not None else None
    reading = read(source, plan.functions, cells)
    hints = signature_hints(signatures(source, cells), plan.contract)
    scratch = Path(tempfile.mkdtemp(prefix="autograder-"))
    sessions: dict[str, StudentSession] = {}
    try:
        copy = scratch / plan.filename
        copy.write_bytes(source)
        where = (submission.filename, submission.locate)
        # Each check's inputs depend on the file too: what one submission printed of them cannot be
        # replayed by another (the same file still gets the same inputs: grading stays deterministic).
        salt = digest_of(source)[:16]
        outcomes = []
        for check in plan.checks:
            for device in plan.devices(check):
                if device not in sessions:
                    sessions[device] = open_student(plan.config, plan.assignment, copy, device,
                                                    submission.script.pieces if submission.script else None,
                                                    plan.call_limits)
                lost = _lost_to_the_top_level(check, device, sessions[device], submission, plan, reading, source)
                outcomes.append(lost or _run_one(check, device, sessions[device], plan, where, salt))
        printed = "".join(s.output_tail() for s in sessions.values())[-2000:]
        cpu = {}
        for session in sessions.values():
            for fn, seconds in session.call_cpu_s.items():
                cpu[fn] = max(cpu.get(fn, 0.0), seconds)
        restarts = sum(s.restarts for s in sessions.values())
    finally:
        for session in sessions.values():
            session.close()
        remove_scratch(scratch)
    notes += top_level_notes(sessions.values(), plan, submission)
    if restarts:
        notes.append(f"Your code's process was restarted {restarts} time{'s' if restarts > 1 else ''} "
                     "after a crash or a timeout; only the checks involved lost points.")
    if TRUNCATED in printed:
        notes.append("Your code printed more than the grader keeps "
                     f"({plan.config.limits.output_bytes} bytes); the rest was dropped. Remove the prints "
                     "inside loops.")
    usage = usage_of(submission, plan, reading, sessions.values(), source)
    return SubmissionRun(submission, plan.assignment, tuple(outcomes), usage=usage, notes=tuple(notes),
                         printed=printed.strip(),
                         protections={d: dict(s.protections) for d, s in sessions.items()}, signature_hints=hints,
                         call_cpu_s=cpu)


_TOP_LEVEL_WHY = {
    "timeout": "Keep long training under `if __name__ == \"__main__\":`.",
    "ModuleNotFoundError": "Only torch, numpy and the standard library are there where grading runs (d2l as a "
                           "stand-in); a module of your own or one such as torchvision is not, so each statement "
                           "that needs one is skipped.",
}


def _lost_to_the_top_level(check: CheckSpec, device: str, session: StudentSession, submission: Submission,
                           plan: GradingPlan, reading, source: bytes) -> CheckOutcome | None:
    """A check decided before it runs: the file's top level left the watch patched or switched off
    (found when the process imported it), which costs every function not cleared by an instructor.
    Running such a check would watch nothing, and each call would need a fresh process that the
    same top level compromises again; where it costs, it is not run. None: run the check."""
    if not session.tampering_hits.get(TOP_LEVEL):
        return None
    usage = usage_of(submission, plan, reading, [session], source)
    if not any(u.tampering for u in usage.costing(check.tags)):
        return None
    return CheckOutcome(check, device, "failed",
                        "Not run: your file's top level changed the grader's watch (see above), so none of "
                        "this check's calls could be watched.", None, "tampering")


def top_level_notes(sessions, plan: GradingPlan, submission: Submission) -> list[str]:
    """One note on the pieces of the file's top level that failed (one line each), leaving out a piece
    that did not parse and only held functions the checks already explain (they say "never defined"
    and why). A piece that raised is always named: what it defined before raising is graded, so the
    checks say nothing of it."""
    failures = [f for f in next((s.top_level for s in sessions if s.top_level), None) or []
                if not (f["kind"] == "syntax" and f["defines"] and set(f["defines"]) <= set(plan.functions))]
    if not failures:
        return []
    problems = [top_level_problem(f, submission.locate) for f in failures[:20]]
    whys = list(dict.fromkeys(_TOP_LEVEL_WHY[key] for f in failures
                              for key in (f["kind"], f["type"]) if key in _TOP_LEVEL_WHY))
    if len(problems) == 1:
        note = f"Your file's top level: {problems[0]}; the rest of the file ran anyway."
    else:
        more = f"\n- … and {len(failures) - 20} more" if len(failures) > 20 else ""
        noun = "cells" if all(f["label"].startswith("cell") for f in failures) else "statements"
        note = (f"Your file's top level: {len(failures)} {noun} failed, each skipped while the rest of the file "
                "ran:\n" + "\n".join(f"- {p}" for p in problems) + more)
    return [note + "".join(f" {why}" if len(problems) == 1 else f"\n{why}" for why in whys)]


def usage_of(submission: Submission, plan: GradingPlan, reading, sessions, source: bytes) -> Usage:
    """The usage stage (usage.py) on what the reading and the watch of each device's process found."""
    outside: dict[str, list[str]] = {}
    tampering: dict[str, list[str]] = {}
    for session in sessions:
        for fn, apis in session.forbidden_hits.items():
            _add(outside, fn, apis)
        for fn, tools in session.tampering_hits.items():
            _add(tampering, fn, tools)
    return judge_usage(reading=reading, outside=outside, tampering=tampering, config=plan.config,
                       assignment=plan.assignment, functions=plan.functions, student=submission.student,
                       digest=digest_of(source), locate=submission.locate)


def _add(kept: dict[str, list[str]], fn: str, items) -> None:
    """Add ``items`` to ``kept[fn]``, each once, in order."""
    seen = kept.setdefault(fn, [])
    seen += [item for item in items if item not in seen]


def remove_scratch(scratch: Path) -> None:
    """Remove a scratch folder whatever the student did to it (chmod 000 on a folder, say);
    log what could not be removed. The student process is dead by now, so nothing changes it."""
    def unlock_and_retry(function, path, _exc):
        try:
            os.chmod(os.path.dirname(path), 0o700)
            if os.path.isdir(path) and not os.path.islink(path):
                os.chmod(path, 0o700)
            function(path)
        except OSError:
            pass
    shutil.rmtree(scratch, onerror=unlock_and_retry)
    if os.path.lexists(scratch):
        shutil.rmtree(scratch, onerror=unlock_and_retry)  # folders unlocked on the first pass
    if os.path.lexists(scratch):
        left = sum(1 for _ in scratch.rglob("*")) if os.access(scratch, os.R_OK | os.X_OK) else "?"
        log.error("could not remove the scratch folder %s (%s entries left)", scratch, left)


def open_student(config: GradingConfig, assignment: str, copy: Path, device: str, cells=None,
                 call_limits: dict | None = None) -> StudentSession:
    """The session with a student process for the file ``copy`` (in its own scratch folder),
    confined as grading.toml says for ``device``. The one place that builds ProcessSpec,
    Policy and CallLimits, for ``autograder grade`` and for the graded checks under pytest."""
    limits = config.limits
    settings = config.assignment(assignment)
    spec = ProcessSpec(copy, tuple(config.forbidden(assignment)), limits.startup_timeout_s,
                       confinement(config, copy.parent, device), config.run.threads,
                       tuple(config.sandbox.stub_imports), tuple(settings.noted_calls),
                       derive_seed(config.run.seed, assignment, "import", device), config.operators(assignment),
                       tuple(cells) if cells else None, limits.statement_timeout_s, limits.reply_mb * 2**20)
    return StudentSession(spec, CallLimits(limits.call_timeout_s, limits.submission_timeout_s,
                                          limits.max_items, limits.check_timeout_s, dict(call_limits or {})),
                          frozenset(settings.updates_in_place))


def confinement(config: GradingConfig, scratch: Path, device: str = "cpu") -> Policy:
    """The confinement of the student process that computes on ``device`` in ``scratch``, from
    grading.toml's [limits] and [sandbox]."""
    limits, sandbox = config.limits, config.sandbox
    return Policy(scratch=str(scratch), memory_bytes=limits.memory_mb * 2**20, cpu_seconds=limits.cpu_s,
                  max_processes=limits.max_processes, output_bytes=limits.output_bytes,
                  landlock=sandbox.landlock, namespaces=sandbox.namespaces,
                  devices=(device,), extra_read=tuple(sandbox.extra_read),
                  gpu_memory_bytes=limits.gpu_memory_mb * 2**20 if device == "cuda" else 0,
                  scratch_bytes=limits.scratch_mb * 2**20, seccomp=sandbox.seccomp)


def grader_failed(submission: Submission, plan: GradingPlan) -> SubmissionRun:
    """The run of a submission on which the grader itself failed: every check says so."""
    return SubmissionRun(submission, plan.assignment, _all_failed(
        plan, "The grader itself failed on your submission; this is not your fault.",
        "Tell your instructor: the grader's log has the details.", "internal"))


def _all_failed(plan, message, hint, kind) -> tuple[CheckOutcome, ...]:
    return tuple(CheckOutcome(c, d, "failed", message, hint, kind) for c in plan.checks for d in plan.devices(c))


def _run_one(check: CheckSpec, device: str, session: StudentSession, plan: GradingPlan,
             where: tuple, salt: str = "") -> CheckOutcome:
    seed = derive_seed(plan.config.run.seed, plan.assignment, check.seed_key, device, salt)
    session.begin_check(seed)
    ctx = CheckContext(torch.device(device), seed, session=session, runs=plan.runs)
    # The check's own deadline bounds the student's calls; this bounds the grader's work on
    # what they returned (a data_iter that returns 10⁶ rows, say).
    limit = plan.config.limits.check_timeout_s * 1.5 + 30
    try:
        with _watchdog(limit):
            check.func(session.functions, plan.reference, ctx)
    except _WatchdogExpired:
        session.abandon()
        return CheckOutcome(check, device, "failed",
                            f"The grader's own work on what your code returned took longer than {limit:g} s, "
                            "so this check was stopped.",
                            "Your function probably returned far more data than its inputs allow.", "timeout",
                            ctx.artifacts)
    except CheckFailed as failed:
        return CheckOutcome(check, device, "failed", failed.message, failed.hint, "wrong", ctx.artifacts)
    except StudentError as error:
        message, hint, kind = explain(error, *where)
        detail = getattr(getattr(error, "error", None), "traceback", "")
        return CheckOutcome(check, device, "failed", message, hint, kind, ctx.artifacts, detail=detail)
    except Exception:  # noqa: BLE001 - a bug in the kit must not stop the class's grading
        detail = traceback.format_exc()
        log.error("internal error in check %s on %s:\n%s", check.id, device, detail)
        return CheckOutcome(check, device, "failed",
                            "The grader itself failed in this check; this is not your fault.",
                            "Tell your instructor: the grader's log has the details.", "internal", detail=detail)
    return CheckOutcome(check, device, "passed", artifacts=ctx.artifacts)


class _WatchdogExpired(BaseException):
    """Raised into a check that ran past its watchdog; a BaseException, so that no check's
    ``except Exception`` swallows it."""


@contextlib.contextmanager
def _watchdog(seconds: float):
    """Interrupt the block after ``seconds`` (a real-time timer; main thread only, elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum, _frame):
        raise _WatchdogExpired()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
