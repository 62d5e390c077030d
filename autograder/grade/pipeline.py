"""The grading pipeline: submissions in, typed results out, and no files written.

    discover (submission.py) -> canary (canary.py) -> judge (judge.py) -> score (scoring.py)

``grade_entries`` grades the reference first (the canary: a grading machine that cannot give the
reference full marks grades nobody), then each submission on its own, in worker processes when
more than one is asked for, and yields each GradedSubmission as it is ready. A worker that dies
loses no student. Writing the results is the caller's (``command.py``, Gradescope, nbgrader).
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from autograder.grade.canary import CanaryFailed, canary_problems
from autograder.grade.judge import GradingPlan, grader_failed, judge
from autograder.grade.run_log import log_to
from autograder.grade.scoring import GradedSubmission, score
from autograder.grade.submission import Submission
from autograder.sandbox.grader_side.forker import _CAN_FORK, Template

log = logging.getLogger("autograder")


@dataclass(frozen=True)
class RunRecipe:
    """How to load a run's plan again: what a spawned worker is given (a plan does not pickle)."""

    kit: Path
    assignment: str
    config_path: Path
    devices: tuple[str, ...] = ()
    log_path: Path = Path(os.devnull)
    """The run's grader.log, which a spawned worker opens for itself."""

    def load(self) -> RunContext:
        return RunContext(GradingPlan.load(self.kit, self.assignment, self.config_path, self.devices), self)


@dataclass(frozen=True)
class RunContext:
    """One grading run: the plan every submission is graded by, and how a worker gets it again."""

    plan: GradingPlan
    recipe: RunRecipe


def grade_entry(entry: Submission, plan: GradingPlan) -> GradedSubmission:
    """One submission judged and scored. Whatever goes wrong with it (a reply that breaks the grader,
    say) stays with it: it is logged, and its checks say that the grader failed, not the student."""
    try:
        return score(judge(entry, plan), plan.config)
    except Exception:  # noqa: BLE001 - one student must never stop the class's grading
        log.error("the grader failed on %s:\n%s", entry.student, traceback.format_exc())
        return score(grader_failed(entry, plan), plan.config)


def grade_entries(entries: Sequence[Submission], run: RunContext, workers: int = 1,
                  canary: Submission | None = None) -> Iterator[GradedSubmission]:
    """Each submission's result, in the order they finish; the canary's problems raise CanaryFailed
    before any student is graded.

    On Linux without a GPU the workers are forked once the plan is loaded, so they start without
    importing torch again, and they share one warm template. Elsewhere they are spawned and load
    the plan from the run's recipe.
    """
    plan = run.plan
    Template.get()
    # autograd imports this (and sympy) on the first backward(): half a second that each forked
    # worker would otherwise pay. Importing it starts nothing (no engine, no CUDA).
    import torch.fx.experimental.symbolic_shapes  # noqa: F401
    if workers <= 1:
        if canary is not None:
            _stop_unless_clean(canary_problems(canary, plan, 1), plan)
        for entry in entries:
            yield grade_entry(entry, plan)
        return
    fork = _fork_is_safe()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    init = (run if fork else None, run.recipe)
    remaining, suspects = list(entries), []
    with tempfile.TemporaryDirectory(prefix="autograder-running-") as running:
        for attempt in range(_POOL_ATTEMPTS):
            lost = []
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=init) as pool:
                if canary is not None and attempt == 0:
                    try:
                        problems, call_limits = pool.submit(_canary_in_worker, canary, workers).result()
                    except BrokenProcessPool:
                        problems, call_limits = ["a grading worker died while it graded the reference (out of memory?)"], {}
                    _stop_unless_clean(problems, plan)
                    plan.call_limits.update(call_limits)
                futures = {pool.submit(_grade_in_worker, entry, running, dict(plan.call_limits)): entry
                           for entry in remaining}
                for future in as_completed(futures):
                    try:
                        yield future.result()
                    except BrokenProcessPool:  # a worker died, and the pool failed all it had not finished
                        lost.append(futures[future])
                    except Exception:  # noqa: BLE001 - a result that could not come back, say
                        log.error("the grader failed on %s:\n%s", futures[future].student, traceback.format_exc())
                        yield score(grader_failed(futures[future], plan), plan.config)
            if not lost:
                break
            # Only what the workers were grading when the pool broke can have killed one; the rest
            # go back to a pool, so that one deadly submission does not grade the class one by one.
            in_progress = _read_markers(Path(running))
            suspects += [entry for entry in lost if entry.student in in_progress]
            remaining = [entry for entry in lost if entry.student not in in_progress]
            log.error("a grading worker died while grading %s; %d unfinished submission(s) are graded again",
                      ", ".join(sorted(in_progress)) or "nothing", len(lost))
        else:
            suspects += remaining  # pools kept breaking: everyone left is graded on their own
    for entry in suspects:
        yield _graded_alone(entry, plan, context, init)


_POOL_ATTEMPTS = 3
"""Pools tried before every submission left is graded in a worker of its own."""


_this_worker: RunContext | None = None
"""The run a worker process grades for, set once by the pool's initializer: the only place a
ProcessPoolExecutor lets a worker keep what its tasks share (the plan holds the reference module
and the check functions, which do not pickle). The grading process itself never sets it."""


def _init_worker(forked: RunContext | None, recipe: RunRecipe) -> None:
    """A worker's start: a forked worker gets the run as it is (initargs are not pickled then, so it
    starts warm); a spawned one loads it from the recipe, and logs to the run's grader.log itself."""
    global _this_worker
    _die_with_parent()
    # One worker per core; and a forked worker whose parent ran OpenMP would hang in it.
    torch.set_num_threads(1)
    if forked is None:
        Template.get()
        forked = recipe.load()
        log_to(recipe.log_path)
    _this_worker = forked
    limit_memory(forked.plan.config.limits.worker_memory_mb)


def _die_with_parent() -> None:
    """A grading run killed outright (SIGKILL, the out-of-memory killer, a cluster's time limit) takes
    its workers with it: they never live on as orphans holding memory and the warm template. Linux
    only (prctl); elsewhere a worker ends when it next finds its queue closed."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def limit_memory(extra_mb: int) -> int | None:
    """Cap this process's private memory (RLIMIT_DATA) at what it holds now plus ``extra_mb``: a
    worker that what it grades would swell gets a MemoryError, which fails that student's check,
    instead of taking the machine's memory. Returns the cap in bytes, or None where it cannot be set."""
    try:
        import resource
        with open("/proc/self/status", encoding="ascii") as f:
            held = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmData:"))
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = held + extra_mb * 2**20
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
        return cap
    except (ImportError, OSError, StopIteration, ValueError) as exc:
        log.warning("the grading worker's memory could not be capped (%s)", exc)
        return None


def _grade_in_worker(entry: Submission, running: str, call_limits: dict) -> GradedSubmission:
    # Left behind if this worker dies: who it was grading then, for the grader to read.
    marker = Path(running) / str(os.getpid())
    marker.write_text(entry.student, encoding="utf-8")
    plan = _this_worker.plan
    if plan.call_limits != call_limits:  # the canary ran in another worker
        plan.call_limits.clear()
        plan.call_limits.update(call_limits)
    try:
        return grade_entry(entry, plan)
    finally:  # not reached when the worker is killed, which is the point
        marker.unlink(missing_ok=True)


def _canary_in_worker(entry: Submission, workers: int) -> tuple[list[str], dict]:
    """The canary's problems, and the call limits calibrated on it (for the other workers)."""
    problems = canary_problems(entry, _this_worker.plan, workers)
    return problems, dict(_this_worker.plan.call_limits)


def _fork_is_safe() -> bool:
    """Forked workers share the loaded plan and start at once, but a process that has used CUDA
    or autograd where a GPU is visible cannot fork usable children: on a GPU machine, spawn."""
    return _CAN_FORK and not any(Path("/dev").glob("nvidia[0-9]*"))


def _read_markers(running: Path) -> set[str]:
    """The students whose workers died (or were stopped) in the middle of grading them; the markers
    are removed, for the next pool."""
    names = set()
    for marker in running.iterdir():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            names.add(marker.read_text(encoding="utf-8"))
        marker.unlink(missing_ok=True)
    return names


def _graded_alone(entry: Submission, plan: GradingPlan, context, init) -> GradedSubmission:
    """A submission whose worker died (the grader's own memory ran out, say), graded again in a worker
    of its own; if that dies too, its checks say the grader failed, and the class goes on."""
    log.error("grading %s again in a worker of its own", entry.student)
    with ProcessPoolExecutor(1, mp_context=context, initializer=_init_worker, initargs=init) as pool, \
            tempfile.TemporaryDirectory(prefix="autograder-running-") as running:
        try:
            return pool.submit(_grade_in_worker, entry, running, dict(plan.call_limits)).result()
        except BrokenProcessPool:
            log.error("the grading worker died again on %s", entry.student)
    graded = score(grader_failed(entry, plan), plan.config)
    return replace(graded, notes=graded.notes + (
        "The grader's worker process died twice while grading this submission (it may have run out of "
        "memory on what your code returned); tell your instructor.",))


def _stop_unless_clean(problems: list[str], plan: GradingPlan) -> None:
    if problems:
        log.error("canary failed:\n%s", "\n".join(problems))
        raise CanaryFailed(plan.assignment, plan.config.run.devices, problems)
