"""Each protection of the sandbox, proven by an attack whose outcome depends on that protection alone.

A real student process (judge.open_student, the kit's grading.toml) runs a file of probes; each probe
tries one thing a submission must not manage and returns what happened, and the test, on the
grader's side, judges it. Nothing here reads the sandbox's source: breaking a protection (widening
Landlock to the kit, dropping RLIMIT_FSIZE, leaving the network namespace out) makes its test fail.

Where the machine lacks a mechanism, its test skips with the reason; with
AUTOGRADER_REQUIRE_SANDBOX=1 (set by .ci/run, where every mechanism is expected) it fails instead.
"""
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from autograder.config import load_config
from autograder.grade.judge import open_student
from corpus_support import KIT

REQUIRED = os.environ.get("AUTOGRADER_REQUIRE_SANDBOX") == "1"
OUTPUT_BYTES = 1_000_000

PROBES = '''
import os, socket, sys
from pathlib import Path


def read_the_reference(_):
    """The kit is on sys.path (the student process imports the grader's package): look for its
    solutions there, and read the reference without running it."""
    for entry in sys.path:
        candidate = Path(entry) / "solutions" / "linear_regression" / "linear_regression.py"
        try:
            return "read: " + candidate.read_text()[:40]
        except OSError as exc:
            last = type(exc).__name__
    return "refused"


def read_etc(_):
    try:
        return "read: " + open("/etc/hostname").read()[:20]
    except OSError as exc:
        return "refused: " + type(exc).__name__


def write_outside(target):
    try:
        with open(target, "w") as f:
            f.write("written by a submission")
        return "written"
    except OSError as exc:
        return "refused: " + type(exc).__name__


def connect(port):
    try:
        socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
        return "connected"
    except OSError as exc:
        return "refused: " + type(exc).__name__


def unix_socket(path):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        return "connected"
    except OSError as exc:
        return "refused: " + type(exc).__name__


def signal_the_grader(pid):
    try:
        os.kill(int(pid), 0)
        return "reached"
    except OSError as exc:
        return "refused: " + type(exc).__name__


def flood_by_os_write(_):
    written = 0
    try:
        for _ in range(300):
            written += os.write(1, b"x" * 10_000)
    except OSError as exc:
        return written
    return written


def allocate(megabytes):
    try:
        block = bytearray(int(megabytes) * 2**20)
        return len(block) // 2**20
    except MemoryError:
        return -1


def fill_the_scratch_folder(megabytes):
    written = 0
    try:
        with open("filler.bin", "wb") as f:
            for _ in range(int(megabytes)):
                f.write(b"\\0" * 2**20)
                f.flush()
                written += 1
    except OSError:
        pass
    return written


def leave_a_process(seconds):
    """Start a process meant to outlive the submission, and stay in the call a while, so that the
    grader sees it running."""
    import time
    pid = os.fork()
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    time.sleep(float(seconds))
    return str(pid)


def own_pid(_):
    return os.getpid()
'''


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    folder = tmp_path_factory.mktemp("protections")
    scratch = folder / "scratch"
    scratch.mkdir()
    copy = scratch / "linear_regression.py"
    copy.write_text(PROBES)
    session = open_student(load_config(KIT / "grading.toml"), "linear_regression", copy, "cpu")
    session.begin_check("protections")
    session.start()
    yield session
    session.close()


def _in_force(student, words: str) -> None:
    """Skip (or, where the sandbox is required, fail) unless the confinement reports a protection
    in force whose description holds ``words``."""
    if any(words in item for item in student.protections.get("in_force", [])):
        return
    missing = "; ".join(student.protections.get("missing", [])) or "nothing reported"
    if REQUIRED:
        pytest.fail(f"required protection not in force ({words}); missing: {missing}")
    pytest.skip(f"not in force here ({words}); missing: {missing}")


def test_the_reference_cannot_be_read_even_where_the_kit_is_on_sys_path(student):
    _in_force(student, "files: read-only runtime")
    assert student.functions.read_the_reference(0) == "refused"


def test_files_outside_the_runtime_cannot_be_read_or_written(student, tmp_path):
    _in_force(student, "files: read-only runtime")
    assert student.functions.read_etc(0).startswith("refused")
    target = tmp_path / "planted.txt"
    assert student.functions.write_outside(str(target)).startswith("refused")
    assert not target.exists()


def test_no_tcp_connection_reaches_the_machine(student):
    _in_force(student, "no network")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        assert student.functions.connect(listener.getsockname()[1]).startswith("refused")
    finally:
        listener.close()


def test_no_unix_socket_is_reached_by_its_path(student, tmp_path):
    _in_force(student, "no unix sockets by path")
    path = str(tmp_path / "listening.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    try:
        assert student.functions.unix_socket(path).startswith("refused")
    finally:
        listener.close()


def test_the_grader_cannot_be_signalled(student):
    _in_force(student, "own pid namespace")
    assert student.functions.signal_the_grader(os.getpid()).startswith("refused")


def test_output_written_past_the_print_limit_is_refused_by_the_kernel(student):
    """os.write goes around the print limit of the call server: only RLIMIT_FSIZE stops it."""
    _in_force(student, "files and output ≤")
    written = student.functions.flood_by_os_write(0)
    assert written <= OUTPUT_BYTES, f"{written} bytes went through os.write past the {OUTPUT_BYTES} byte limit"


def test_memory_beyond_the_limit_is_refused(student):
    _in_force(student, "memory ≤")
    limit_mb = load_config(KIT / "grading.toml").limits.memory_mb
    assert student.functions.allocate(limit_mb + 512) == -1
    assert student.functions.allocate(16) == 16


def test_the_scratch_folder_is_bounded(student):
    _in_force(student, "scratch folder: its own tmpfs")
    limit_mb = load_config(KIT / "grading.toml").limits.scratch_mb
    assert student.functions.fill_the_scratch_folder(limit_mb + 32) <= limit_mb


def test_the_process_sees_only_its_own_processes_and_leaves_none_behind(student):
    """A process the submission starts dies with it, however the grader then treats the call (the
    watch flags the start as tampering and replaces the student process; the pid namespace is what
    makes sure the started process goes too)."""
    _in_force(student, "own pid namespace")
    assert student.functions.own_pid(0) == 1, "the student process is not the first of a pid namespace"
    call = threading.Thread(target=lambda: student.functions.leave_a_process(3), daemon=True)
    call.start()
    started: set[int] = set()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not started:
        started = _started_in_a_namespace()
        time.sleep(0.05)
    call.join(30)
    assert started, "the process the submission started was not found"
    student.abandon()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and started & _started_in_a_namespace():
        time.sleep(0.1)
    assert not started & _started_in_a_namespace(), "a process the submission started outlived it"


def _started_in_a_namespace() -> set[int]:
    """Machine pids of the live processes below a pid namespace's first (the ones a student's process
    started) among this test's descendants."""
    parents, nested = {}, set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            rows = dict(row.split(":", 1) for row in (entry / "status").read_text().splitlines() if ":" in row)
        except OSError:
            continue
        parents[int(entry.name)] = int(rows.get("PPid", "0"))
        levels = rows.get("NSpid", "").split()
        if len(levels) > 1 and levels[-1] != "1" and not rows.get("State", "Z").strip().startswith("Z"):
            nested.add(int(entry.name))

    def ours(pid: int) -> bool:
        for _ in range(64):
            if pid == os.getpid():
                return True
            pid = parents.get(pid, 0)
            if pid <= 1:
                return False
        return False

    return {pid for pid in nested if ours(pid)}
