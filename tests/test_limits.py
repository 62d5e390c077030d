"""Do the per-call, per-check and output limits hold, and does a crash cost only its call?"""
import os

import pytest
import torch

from autograder.config import load_config
from autograder.grade.judge import confinement
from autograder.sandbox.errors import BudgetExhausted, StudentCrashed, StudentTimedOut
from autograder.sandbox.grader_side.proxy import CallLimits, StudentSession
from autograder.sandbox.grader_side.runner import ProcessSpec
from corpus_support import KIT

SOURCE = '''
import os, time
def slow(x):
    time.sleep(0.3)
    return x + 1
def forever(x):
    while True:
        pass
def die(x):
    os._exit(7)
def shout(x):
    for _ in range(10_000):
        print("x" * 1000)
    return x
def fine(x):
    return x * 2
'''


@pytest.fixture
def open_session(tmp_path):
    def make(**limits):
        path = tmp_path / "sub.py"
        path.write_text(SOURCE)
        config = load_config(KIT / "grading.toml")
        policy = confinement(config, tmp_path)
        policy = type(policy)(**{**policy.__dict__, "output_bytes": 64_000})
        session = StudentSession(ProcessSpec(path, (), 30, policy), CallLimits(**limits))
        made.append(session)
        session.begin_check("limits")
        return session
    made = []
    yield make
    for session in made:
        session.close()


def test_a_check_stops_at_its_own_time_limit_and_the_next_check_starts_afresh(open_session):
    session = open_session(call_timeout_s=5, submission_timeout_s=60, check_timeout_s=1.0)
    with pytest.raises(BudgetExhausted, match="this check took longer than its limit of 1 s"):
        for _ in range(20):
            session.functions.slow(torch.ones(1))
    assert "slow" not in session.timed_out
    session.begin_check("next")
    assert torch.equal(session.functions.slow(torch.ones(1)), torch.full((1,), 2.0))


def test_a_call_that_never_ends_times_out_once_then_fails_fast(open_session):
    session = open_session(call_timeout_s=1.0, submission_timeout_s=60)
    with pytest.raises(StudentTimedOut) as first:
        session.functions.forever(torch.ones(1))
    assert not first.value.earlier
    with pytest.raises(StudentTimedOut) as again:
        session.functions.forever(torch.ones(1))
    assert again.value.earlier
    assert torch.equal(session.functions.fine(torch.ones(2)), torch.full((2,), 2.0))  # a fresh process answers


def test_a_crash_costs_only_its_call(open_session):
    session = open_session(call_timeout_s=5, submission_timeout_s=60)
    with pytest.raises(StudentCrashed, match="exited with code 7"):
        session.functions.die(torch.ones(1))
    assert torch.equal(session.functions.fine(torch.ones(1)), torch.full((1,), 2.0))
    assert session.restarts == 1


def test_output_beyond_the_limit_is_cut_off_and_the_call_still_returns(open_session, tmp_path):
    """Printing a lot never fails the student's code: past the limit, the rest is dropped."""
    session = open_session(call_timeout_s=10, submission_timeout_s=60)
    assert torch.equal(session.functions.shout(torch.ones(1)), torch.ones(1))
    assert "printed more than the grader keeps" in session.output_tail()
    assert os.fstat(session._output.fd).st_size <= 64_000
    assert not (tmp_path / "output.log").exists()  # the grader never opens a path in the scratch folder


def test_call_limits_follow_the_reference_between_the_floor_and_the_cap():
    from autograder.sandbox.grader_side.proxy import calibrated_limits
    measured = {"data_iter": 0.004, "train": 0.9, "linreg": 0.0001, "evaluate": 0.05}
    limits = calibrated_limits(measured, call_timeout_s=10.0, factor=50, floor_s=2.0)
    assert limits == {"data_iter": 2.0, "train": 10.0, "linreg": 2.0, "evaluate": 4.0}  # 50 × 0.05 = 2.5 → 4
    # Rounded up to a power of two: the canary's noise does not move a limit the feedback quotes.
    assert calibrated_limits({"f": 0.051}, 10.0, 50, 2.0) == calibrated_limits({"f": 0.079}, 10.0, 50, 2.0)
    assert calibrated_limits(measured, 10.0, 0, 2.0) == {}  # call_factor = 0: no calibration
    calls = CallLimits(10.0, 60.0, per_function=limits)
    assert calls.for_call("data_iter") == 2.0 and calls.for_call("unmeasured") == 10.0
    assert calls.for_call("data_iter", calls=300) == 10.0  # a stacked request: the limit per call, times the calls


def test_a_calibrated_limit_stops_an_endless_loop_early_and_spares_a_slow_correct_call(open_session):
    session = open_session(call_timeout_s=10.0, submission_timeout_s=60, per_function={"forever": 1.0, "slow": 1.0})
    with pytest.raises(StudentTimedOut) as stopped:
        session.functions.forever(torch.ones(1))
    assert stopped.value.seconds == 1.0
    assert torch.equal(session.functions.slow(torch.ones(1)), torch.full((1,), 2.0))  # it sleeps: wall time, not CPU
    assert session.call_cpu_s["slow"] < 0.3 and "forever" not in session.call_cpu_s
