"""The canary: the reference solution, graded through the students' path on every device,
before any student is.

A machine where the reference does not get full marks (CUDA that cannot start in the sandbox,
a memory limit that the torch build exceeds, a broken install) would grade every student
wrongly, so the run stops instead, saying what failed, where and why.
"""
from __future__ import annotations

import traceback

from autograder.grade.judge import DeviceUnavailable, GradingPlan, judge
from autograder.kit import Kit
from autograder.grade.scoring import score
from autograder.grade.submission import Submission

CANARY_NAME = "the reference solution"


class CanaryFailed(Exception):
    """The reference did not get full marks on this machine; no student may be graded."""

    def __init__(self, assignment: str, devices, problems: list[str]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"the reference solution of {assignment} did not get full marks on this machine "
            f"(devices: {', '.join(devices)}), so no student was graded: the grading environment, "
            f"not the students, is at fault.\n{lines}\n"
            "Fix the environment (or grading.toml), then grade again; `autograder selftest` checks a machine.")


def canary_submission(kit: Kit, assignment: str) -> Submission:
    path = kit.solution_file(assignment)
    return Submission.of_file(CANARY_NAME, path)


def canary_problems(entry: Submission, plan: GradingPlan, workers: int) -> list[str]:
    """What kept the reference from full marks: each failed check with its device and message,
    and the first traceback. Empty when it got full marks; then the plan's call limits are
    calibrated on the reference's calls (GradingPlan.calibrate_calls)."""
    plan.call_limits.clear()  # the reference is graded with the configured limits
    try:
        run = judge(entry, plan)
    except DeviceUnavailable as exc:
        return [str(exc)]
    except Exception:  # noqa: BLE001 - whatever broke, it is reported, and nobody is graded
        return ["the grader failed while grading the reference:\n" + traceback.format_exc()]
    problems, first_traceback = [], ""
    worth = {c.id: plan.config.points_for(plan.assignment, c.id, c.advisory) for c in plan.checks}
    for outcome in run.outcomes:
        if outcome.status != "passed" and worth[outcome.check.id] > 0:
            problems.append(f"{outcome.check.id} on {outcome.device} ({outcome.kind}): "
                            f"{' '.join(outcome.message.split())[:600]}")
            first_traceback = first_traceback or outcome.detail
    graded = score(run, plan.config)
    if not problems and graded.score < graded.max_score:
        flagged = "; ".join(f"{u.function}: {', '.join(f.what for f in u.flags)}" for u in graded.usage.flagged())
        problems.append(f"the reference scored {graded.score:g}/{graded.max_score:g}: the grader flagged what it "
                        f"used ({flagged or 'nothing'}); grading.toml's operators or forbidden calls do not fit "
                        "the reference")
    problems += _gpu_share_problems(plan, workers)
    if first_traceback:
        problems.append("first traceback:\n" + first_traceback.rstrip())
    if not problems:
        plan.calibrate_calls(run.call_cpu_s)
    return problems


def _gpu_share_problems(plan: GradingPlan, workers: int) -> list[str]:
    """Workers sharing one GPU must not starve each other: their caps must fit its memory."""
    cap = plan.config.limits.gpu_memory_mb
    if "cuda" not in plan.config.run.devices or not cap:
        return []
    import torch
    total_mb = torch.cuda.get_device_properties(0).total_memory // 2**20
    if workers * cap > 0.9 * total_mb:
        return [f"{workers} workers × limits.gpu_memory_mb = {cap} MiB do not fit in 90% of the GPU's "
                f"{total_mb} MiB: lower gpu_memory_mb in grading.toml, or grade with fewer --workers"]
    return []
