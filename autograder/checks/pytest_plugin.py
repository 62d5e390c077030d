"""The graded checks under pytest: against the reference by default, or against one student's file
with ``pytest tests/graded --submission path/to/linear_regression.py`` (a .py file).

The student's code runs in its own process, opened by the same function as ``autograder grade``
(judge.open_student), with the same limits, seeds and watch; and, as there, a function that uses a
ready-made API or a tampering tool (the grader's reading of the source, and the run-time watch)
fails every check of it. tests/graded/conftest.py loads this plugin; nothing else does, so the
fixtures below (kit, ref, device, session, student, static_reading, runs, ctx) exist only where the graded checks are.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from autograder.checks.api import CheckContext, CheckFailed
from autograder.checks.runs import RunCache
from autograder.config import load_config
from autograder.grade.judge import open_student
from autograder.grade.usage import digest_of, judge_usage
from autograder.kit import find_kit
from autograder.static_scan import read
from autograder.sandbox.errors import StudentError
from autograder.seeds import derive_seed


def pytest_addoption(parser):
    parser.addoption("--submission", default=None,
                     help="grade this file with the graded checks instead of the reference")


def _assignment(request) -> str:
    return request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")


@pytest.fixture(scope="module")
def kit():
    return find_kit()


@pytest.fixture(scope="module")
def ref(kit, request):
    return kit.reference(_assignment(request))


@pytest.fixture(scope="module", params=["cpu", "cuda"])
def device(request):
    if request.param == "cuda" and not torch.cuda.is_available():
        pytest.skip("no CUDA device on this machine")
    return request.param


@pytest.fixture(scope="module")
def session(kit, request, device, tmp_path_factory):
    """The student's process (the reference's, without --submission), as the grader opens it."""
    assignment = _assignment(request)
    config = load_config(kit.config_path)
    scratch = tmp_path_factory.mktemp(f"student-{assignment}-{device}")
    copy = scratch / f"{assignment}.py"
    shutil.copyfile(_source(kit, request), copy)
    opened = open_student(config, assignment, copy, device)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def student(session):
    """The student's functions: ``student.linreg(X, w, b)``."""
    return session.functions


@pytest.fixture(scope="module")
def static_reading(kit, request) -> dict:
    """The grader's reading of the file and what the usage stage needs besides, as `autograder grade`
    has them."""
    from autograder.grade.judge import GradingPlan
    assignment = _assignment(request)
    source = _source(kit, request)
    plan = GradingPlan.load(kit.root, assignment, kit.config_path)
    text = source.read_bytes()
    return {"reading": read(text, plan.functions), "plan": plan, "digest": digest_of(text),
            "locate": lambda line: f"line {line} of {source.name}"}


def _source(kit, request) -> Path:
    return Path(request.config.getoption("--submission") or kit.solution_file(_assignment(request)))


@pytest.fixture(scope="module")
def runs():
    """The reference's runs the checks of one assignment share, as the grading plan holds them."""
    return RunCache()


@pytest.fixture
def ctx(request, session, static_reading, kit, device, runs):
    config = load_config(kit.config_path)
    assignment = _assignment(request)
    spec = getattr(request.function, "__graded__", None)
    if spec is not None and spec.devices is not None and device not in spec.devices:
        pytest.skip(f"the check runs on {', '.join(spec.devices)} only")
    check_id = spec.seed_key if spec else request.function.__name__.removeprefix("test_")
    seed = derive_seed(config.run.seed, assignment, check_id, device)
    session.begin_check(seed)
    return CheckContext(torch.device(device), seed, session=session, runs=runs)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    spec = getattr(getattr(item, "function", None), "__graded__", None)
    funcargs = getattr(item, "funcargs", {})
    session, reading = funcargs.get("session"), funcargs.get("static_reading")
    if spec is None or session is None or reading is None or outcome.excinfo is not None:
        return
    plan = reading["plan"]
    usage = judge_usage(reading=reading["reading"], outside=session.forbidden_hits, tampering=session.tampering_hits,
                        config=plan.config, assignment=plan.assignment, functions=plan.functions,
                        student="--submission", digest=reading["digest"], locate=reading["locate"])
    costing = usage.costing(spec.tags)
    if costing:
        tampered = [u for u in costing if u.tampering]
        outcome.force_exception(CheckFailed("\n".join(u.note() for u in (tampered or costing))))


def pytest_collection_modifyitems(items):
    for item in items:
        spec = getattr(getattr(item, "function", None), "__graded__", None)
        if spec is not None and spec.advisory:
            item.add_marker(pytest.mark.xfail(raises=(CheckFailed, StudentError), strict=False,
                                              reason="advisory: beyond the book's contract"))
