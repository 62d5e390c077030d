"""The reference's runs that checks share live in one cache per grading run, owned by the plan."""
import torch

from autograder.checks.api import CheckContext
from autograder.checks.runs import RunCache


def _counting():
    made = []

    def make(key):
        made.append(key)
        return len(made)
    return made, make


def test_a_run_is_computed_once_for_the_same_device_seed_and_data():
    runs = RunCache()
    made, make = _counting()
    data = torch.arange(6.0).reshape(3, 2)
    first = CheckContext(torch.device("cpu"), 7, runs=runs)
    again = CheckContext(torch.device("cpu"), 7, runs=runs)  # another submission, same check
    assert first.reference_run("r", make, data=(data,), params=(0.03,)) == 1
    assert again.reference_run("r", make, data=(data.clone(),), params=(0.03,)) == 1
    assert len(made) == 1 and made[0][-1] and len(made[0][-1]) == 64  # the key ends with the data's digest


def test_the_key_tells_devices_seeds_data_and_parameters_apart():
    runs = RunCache()
    made, make = _counting()
    data = torch.zeros(3)
    CheckContext(torch.device("cpu"), 7, runs=runs).reference_run("r", make, data=(data,), params=(1,))
    CheckContext(torch.device("meta"), 7, runs=runs).reference_run("r", make, data=(data,), params=(1,))
    CheckContext(torch.device("cpu"), 8, runs=runs).reference_run("r", make, data=(data,), params=(1,))
    CheckContext(torch.device("cpu"), 7, runs=runs).reference_run("r", make, data=(data + 1,), params=(1,))
    CheckContext(torch.device("cpu"), 7, runs=runs).reference_run("r", make, data=(data.double(),), params=(1,))
    CheckContext(torch.device("cpu"), 7, runs=runs).reference_run("r", make, data=(data,), params=(2,))
    CheckContext(torch.device("cpu"), 7, runs=runs).reference_run("other", make, data=(data,), params=(1,))
    assert len(made) == 7 and len(set(made)) == 7


def test_the_cache_is_bounded_and_without_one_each_call_computes():
    runs = RunCache(size=2)
    made, make = _counting()
    ctx = CheckContext(torch.device("cpu"), 1, runs=runs)
    for i in range(5):
        ctx.reference_run("r", make, params=(i,))
    assert len(runs) == 2
    uncached = CheckContext(torch.device("cpu"), 1)
    uncached.reference_run("r", make)
    uncached.reference_run("r", make)
    assert len(made) == 7


def test_the_plan_owns_the_cache_and_the_checks_keep_none(tmp_path):
    """Check files hold no module-level caches: a run kept there would outlive the plan (and, in
    one process, leak from one kit to the next)."""
    from autograder.grade.judge import GradingPlan
    from corpus_support import KIT
    fields = {f.name: f for f in GradingPlan.__dataclass_fields__.values()}
    assert "runs" in fields and not fields["runs"].compare
    for module in (KIT / "tests" / "graded").glob("test_*.py"):
        source = module.read_text()
        assert "RunCache(" not in source, f"{module.name} keeps a cache of its own; use ctx.reference_run"
