"""Does grading stay right on any grading machine, and refuse to grade on a broken one?

The GPU path itself needs a GPU (tests/test_gpu.py); these are its CPU-side guards: a CUDA build's
address-space reservations, nothing that starts CUDA or autograd's engine before a fork, the
canary, points per check whatever the devices, and `autograder selftest`.
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import torch

from autograder import grade
from autograder.config import load_config
from autograder.grade.feedback import device_hint
from autograder.grade.canary import CanaryFailed
from autograder.grade.judge import CheckOutcome, SubmissionRun, confinement
from autograder.checks.api import CheckSpec
from autograder.sandbox.errors import SandboxFault
from autograder.sandbox.grader_side.forker import Template
from autograder.sandbox.grader_side.runner import ProcessSpec, StudentProcess
from autograder.grade.scoring import score
from autograder.grade.submission import Submission
from corpus_support import KIT, scenarios

ASSIGNMENT = "linear_regression"

# What CUDA's runtime does at start-up: reserve a huge range of address space that holds no
# memory (PROT_NONE = 0, MAP_NORESERVE = 0x4000).
RESERVE_20_GB = """
import ctypes, mmap
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
address = libc.mmap(None, 20 * 2**30, 0, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | 0x4000, -1, 0)
assert address not in (None, ctypes.c_void_p(-1).value), "the 20 GB reservation failed"
"""

# Records, with the process id, every call of torch's entry points that start CUDA or autograd's engine.
RECORDERS = """
import os, torch, torch.cuda
from torch.autograd.variable import Variable
_log = os.environ.get("AUTOGRADER_TEST_RECORD") or RECORD_PATH
def _recorder(name, original):
    def recorded(*args, **kwargs):
        try:
            with open(_log, "a") as f:
                f.write(f"{os.getpid()} {name}\\n")
        except OSError:
            pass  # a confined student process cannot write it; what it calls comes after the fork
        return original(*args, **kwargs)
    return recorded
for _name in ("device_count", "is_available", "_lazy_init", "init", "current_device", "set_device"):
    setattr(torch.cuda, _name, _recorder("torch.cuda." + _name, getattr(torch.cuda, _name)))
for _name in ("_cuda_getDeviceCount", "_cuda_init"):
    if hasattr(torch._C, _name):
        setattr(torch._C, _name, _recorder("torch._C." + _name, getattr(torch._C, _name)))
class _Engine:
    def __init__(self, engine):
        self._engine = engine
    def __getattr__(self, name):
        return getattr(self._engine, name)
    def run_backward(self, *args, **kwargs):
        return _recorder("autograd engine: run_backward", self._engine.run_backward)(*args, **kwargs)
Variable._execution_engine = _Engine(Variable._execution_engine)
"""


def _class(tmp_path: Path, **students) -> Path:
    """A submissions folder; each student's file from a path, or from source text."""
    subs = tmp_path / "submissions"
    for name, source in students.items():
        (subs / name).mkdir(parents=True)
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        (subs / name / f"{ASSIGNMENT}.py").write_text(text, encoding="utf-8")
    return subs


@pytest.fixture
def template_with():
    """Grade with a template that ran ``prelude`` first; the usual template afterwards."""
    def use(prelude: str) -> Template:
        template = Template(prelude)
        Template.replace(template)
        return template
    yield use
    Template.replace(None)


@pytest.mark.slow
def test_a_20_gb_address_space_reservation_does_not_cost_a_correct_student_anything(tmp_path, template_with):
    """The memory limit counts memory, not address space: a CUDA build of torch reserves 4 GB at
    import and 17 GB once CUDA starts, which RLIMIT_AS at memory_mb = 4096 turned into crashes."""
    template_with(RESERVE_20_GB)
    subs = _class(tmp_path, alice=KIT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.py",
                  bomb=next(s for s in scenarios("hostile") if s.name == "memory_bomb").source())
    # Every call gets call_timeout_s: the bomb must meet the memory limit, not a limit calibrated on the reference.
    config = tmp_path / "grading.toml"
    config.write_text(re.sub(r"^call_factor = .*$", "call_factor = 0.0", (KIT / "grading.toml").read_text(), flags=re.M))
    report = grade.main(submissions=subs, assignment=ASSIGNMENT, out=tmp_path / "out", kit=KIT, config=config,
                        devices=["cpu"], workers=1, quiet=True)
    by_name = {g.student: g for g in report.graded}
    alice, bomb = by_name["alice"], by_name["bomb"]
    assert alice.score == alice.max_score > 0, [c.output for c in alice.checks if c.status != "passed"]
    status = os.popen(f"grep VmSize /proc/{Template.get().proc.pid}/status").read()
    assert int(status.split()[1]) > 20 * 2**20, status  # the template really holds the reservation
    # ...and the memory bomb (the reference with a squared_loss that hoards memory) is still stopped.
    lost = [c for c in bomb.checks if c.status == "failed"]
    assert lost and all("squared_loss" in c.tags for c in lost)
    assert all(c.kind == "crash" or "MemoryError" in c.output for c in lost), [c.output for c in lost][:2]


@pytest.mark.slow
def test_nothing_starts_cuda_or_autograd_before_a_student_process_is_forked(tmp_path, template_with, monkeypatch):
    """Neither the template (which forks every student process) nor the grader (which forks the
    workers) may call torch's CUDA device-count or lazy-init entry points, or run autograd's
    engine, before it forks: where a GPU is visible, those poison every forked child."""
    record = tmp_path / "calls.log"
    record.touch()
    record.chmod(0o666)
    template = template_with(RECORDERS.replace("RECORD_PATH", repr(str(record))))
    namespace = {}
    monkeypatch.setenv("AUTOGRADER_TEST_RECORD", str(record))
    saved = {name: getattr(torch.cuda, name) for name in ("device_count", "is_available", "_lazy_init", "init",
                                                           "current_device", "set_device")}
    from torch.autograd.variable import Variable
    saved_engine = Variable._execution_engine
    try:
        exec(RECORDERS.replace("RECORD_PATH", repr(str(record))), namespace)
        subs = _class(tmp_path, alice=KIT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.py",
                      bob=KIT / "demo" / ASSIGNMENT / "bob" / f"{ASSIGNMENT}.py")
        report = grade.main(submissions=subs, assignment=ASSIGNMENT, out=tmp_path / "out", kit=KIT,
                            devices=["cpu"], workers=2, quiet=True)
    finally:
        for name, original in saved.items():
            setattr(torch.cuda, name, original)
        Variable._execution_engine = saved_engine
    calls = [line.split(" ", 1) for line in record.read_text().splitlines()]
    assert calls, "the recorders saw nothing at all: they are not wired in"
    before_fork = [name for pid, name in calls if int(pid) in (os.getpid(), template.proc.pid)]
    assert not before_fork, before_fork
    assert {g.student: g.score for g in report.graded}["alice"] == report.graded[0].max_score


@pytest.mark.slow
def test_spawned_workers_grade_exactly_as_forked_ones(tmp_path, monkeypatch):
    """On a GPU machine the workers are spawned and load the plan themselves; elsewhere they are
    forked and start with the grading process's plan. Both grade the demo class alike, check by
    check, and neither leaves a plan behind in the grading process."""
    from autograder.grade import pipeline

    def outcomes(mode):
        report = grade.main(submissions=KIT / "demo" / ASSIGNMENT, assignment=ASSIGNMENT, out=tmp_path / mode,
                            kit=KIT, devices=["cpu"], workers=2, quiet=True)
        assert pipeline._this_worker is None, f"the {mode} run left a plan in the grading process"
        return {g.student: (g.score, [(c.check_id, c.status, c.output) for c in g.checks]) for g in report.graded}

    forked = outcomes("fork")
    monkeypatch.setattr(pipeline, "_fork_is_safe", lambda: False)
    spawned = outcomes("spawn")
    assert spawned == forked
    assert forked["alice"][0] == 41 and forked["bob"][0] == 24  # demo/expected_scores.toml


@pytest.mark.slow
def test_a_worker_that_dies_loses_no_student(tmp_path, monkeypatch):
    """A grading worker that dies (the grader's own memory exhausted by what a student returned, say)
    takes no other student with it: what it left unfinished is graded again, and the student it died
    on twice gets a 'grader failed' result saying so, while the class finishes."""
    from autograder.grade import pipeline
    if not pipeline._fork_is_safe():
        pytest.skip("the workers are spawned here, and a spawned worker does not inherit the patch")
    graded_once = pipeline.grade_entry

    def dies_on_bob(entry, plan):
        if entry.student == "bob":
            os._exit(3)  # in the worker: as the out-of-memory killer would end it
        return graded_once(entry, plan)

    monkeypatch.setattr(pipeline, "grade_entry", dies_on_bob)
    report = grade.main(submissions=KIT / "demo" / ASSIGNMENT, assignment=ASSIGNMENT, out=tmp_path / "out",
                        kit=KIT, devices=["cpu"], workers=2, quiet=True)
    scores = {g.student: g.score for g in report.graded}
    assert scores == {"alice": 41, "bob": 0, "carol": 33, "dave": 27, "erin": 22, "frank": 0}
    bob = json.loads((tmp_path / "out" / "students" / "bob" / "results.json").read_text())
    assert "worker process died twice" in bob["output"]
    assert all((tmp_path / "out" / "students" / s / "results.json").is_file() for s in scores)
    # The pool failed every unfinished submission with bob's; only those in progress then (bob's and
    # the other worker's, at most) are graded one by one, the rest in a pool again.
    alone = re.findall(r"grading (\w+) again in a worker of its own", (tmp_path / "out" / "grader.log").read_text())
    assert "bob" in alone and len(alone) <= 2, alone


def _dies_on_the_reference(entry, workers):  # at module level, for the pool to pickle it
    os._exit(3)


def test_a_worker_that_dies_on_the_reference_stops_the_run_as_a_failed_canary(tmp_path, monkeypatch):
    from autograder.grade import pipeline
    if not pipeline._fork_is_safe():
        pytest.skip("the workers are spawned here, and a spawned worker does not inherit the patch")
    monkeypatch.setattr(pipeline, "_canary_in_worker", _dies_on_the_reference)
    with pytest.raises(CanaryFailed) as failed:
        grade.main(submissions=KIT / "demo" / ASSIGNMENT, assignment=ASSIGNMENT, out=tmp_path / "out",
                   kit=KIT, devices=["cpu"], workers=2, quiet=True)
    assert "a grading worker died while it graded the reference" in str(failed.value)
    assert not (tmp_path / "out" / "alice").exists()


def test_a_worker_killed_in_its_turn_on_the_template_leaves_no_one_waiting(tmp_path):
    """A broken pool's clean-up kills the other workers wherever they are, perhaps in the middle of a
    request to the template. The turn on its socket must not die with them: the next student process
    starts at once. (With a semaphore for the turn, this waited forever, and so did CI.)"""
    template = Template.get()
    holding_r, holding_w = os.pipe()
    worker = os.fork()
    if worker == 0:  # a grading worker, in its turn
        with template.turn.held(time.monotonic() + 60):
            os.write(holding_w, b"!")
            time.sleep(120)
        os._exit(0)
    assert os.read(holding_r, 1) == b"!"
    os.kill(worker, signal.SIGKILL)
    os.waitpid(worker, 0)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    source = scratch / "sub.py"  # where the confinement lets the student process read it
    source.write_text("def f(x):\n    return x\n")
    started = []
    starting = threading.Thread(target=lambda: started.append(StudentProcess(ProcessSpec(
        source, (), 30, confinement(load_config(KIT / "grading.toml"), scratch)))), daemon=True)
    starting.start()
    starting.join(60)  # generous for a loaded machine; a start takes well under a second
    assert started, "the turn on the template's socket died with the worker that held it"
    assert started[0].functions == ["f"]
    started[0].kill()
    assert not template.broken


@pytest.mark.slow
def test_a_broken_environment_stops_the_run_before_any_student_is_graded(tmp_path):
    """The canary: with a call time limit no code can meet, the reference itself fails, so the
    run stops with exit 2, says what failed, where and why, and writes no grades."""
    config = tmp_path / "grading.toml"
    config.write_text(re.sub(r"^call_timeout_s = .*$", "call_timeout_s = 0.000001",
                             (KIT / "grading.toml").read_text(), flags=re.M))
    subs = _class(tmp_path, alice=KIT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.py")
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(subs),
                           "--out", str(tmp_path / "out"), "--config", str(config), "--kit", str(KIT)],
                           capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "the reference solution of linear_regression did not get full marks" in done.stderr
    assert re.search(r"\w+ on cpu \(\w+\): ", done.stderr), done.stderr
    assert not (tmp_path / "out" / "grades.csv").exists() and not (tmp_path / "out" / "alice").exists()
    assert "canary failed" in (tmp_path / "out" / "grader.log").read_text()


@pytest.mark.slow
def test_asking_for_cuda_without_a_gpu_is_an_error_not_a_skip(tmp_path):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    subs = _class(tmp_path, alice=KIT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.py")
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, str(subs),
                           "--out", str(tmp_path / "out"), "--devices", "cpu,cuda", "--kit", str(KIT)],
                           capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "cuda was asked for" in done.stderr and "Grade with --devices cpu" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, "one line, once"
    assert not (tmp_path / "out" / "grades.csv").exists()
    selftest = subprocess.run([sys.executable, "-m", "autograder", "selftest", "--devices", "cuda", "--kit", str(KIT)],
                              capture_output=True, text=True, timeout=300)
    assert selftest.returncode == 2 and selftest.stdout == ""
    assert len(selftest.stderr.strip().splitlines()) == 1 and "cuda was asked for" in selftest.stderr


def test_a_fault_of_the_shim_reaches_the_grader_with_its_traceback(tmp_path):
    """Not 'exited with code 70': the shim's own exception, with its traceback."""
    config = load_config(KIT / "grading.toml")
    source = tmp_path / "sub.py"
    source.write_text("def f(x):\n    return x\n")
    policy = confinement(config, tmp_path / "no-such-scratch")
    with pytest.raises(SandboxFault) as fault:
        StudentProcess(ProcessSpec(source, (), 30, policy))
    assert "Traceback" in str(fault.value) and "no-such-scratch" in str(fault.value)


def _outcome(check, device, passed, message=""):
    return CheckOutcome(check, device, "passed" if passed else "failed", message, None if passed else "a hint",
                        "ok" if passed else "wrong")


def test_points_belong_to_a_check_not_to_a_device():
    """A check that passed on cpu and failed on cuda earns nothing, once, and says where it failed;
    max_score is the same whatever the devices."""
    check = CheckSpec("linreg_values", ("linreg",), False, "linreg(X, w, b) is X w + b.", None)
    other = CheckSpec("linreg_gradients", ("linreg",), False, "Gradients.", None)
    config = load_config(KIT / "grading.toml")
    entry = Submission("s", None)
    two = score(SubmissionRun(entry, ASSIGNMENT, (_outcome(check, "cpu", True), _outcome(check, "cuda", False, "got 3"),
                                                    _outcome(other, "cpu", True), _outcome(other, "cuda", True))),
                config)
    one = score(SubmissionRun(entry, ASSIGNMENT, (_outcome(check, "cpu", True), _outcome(other, "cpu", True))), config)
    assert two.max_score == one.max_score == 4
    assert [c.check_id for c in two.checks] == ["linreg_values", "linreg_gradients"]
    failed = two.checks[0]
    assert failed.score == 0 and failed.failed_on == ("cuda",) and failed.devices == ("cpu", "cuda")
    assert "On cuda (it passed on cpu): got 3" in failed.output
    assert two.score == 2 and one.score == 4


def test_the_default_devices_are_the_cpu_only():
    assert load_config(KIT / "grading.toml").run.devices == ["cpu"]
    from autograder.config import RunSettings
    assert RunSettings().devices == ["cpu"]


def test_a_tensor_made_on_the_cpu_is_named_in_one_sentence():
    message = "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"
    assert device_hint("synthetic_data", message) == \
        "X was created on the CPU while w is on cuda:0: pass device=w.device."
    assert "linreg" in device_hint("linreg", message) and device_hint("linreg", "shape mismatch") is None


@pytest.mark.slow
def test_selftest_passes_on_this_machine():
    done = subprocess.run([sys.executable, "-m", "autograder", "selftest", "--devices", "cpu", "--kit", str(KIT)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for name in ("linear_regression", "softmax_training", "mlp"):
        assert re.search(rf"^{name}\s+(\d+)/\1\s+0\s+\d+\.\d+$", done.stdout, re.M), done.stdout
    assert "cpu: protections in force:" in done.stdout and "selftest passed" in done.stdout


def test_a_grading_workers_memory_is_capped_above_what_it_holds():
    """limits.worker_memory_mb: a worker may grow by that much, and an allocation past it is a
    MemoryError in the worker (that student's failed check), not the machine's memory."""
    code = ("import torch\nfrom autograder.grade.pipeline import limit_memory\n"
            "assert limit_memory(256) is not None\n"
            "small = torch.ones(16 * 2**20 // 4)\n"
            "try:\n    big = torch.ones(1024 * 2**20 // 4)\nexcept (MemoryError, RuntimeError) as e:\n"
            "    print('refused', type(e).__name__)\nelse:\n    print('allocated')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("refused"), run.stdout
