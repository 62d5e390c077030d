"""Past one run: shards and their merge, a killed run resumed, and a regrade that redoes only what
changed and says what moved (grade/shards.py, grade/stored.py, grade/merge.py, report/changes.py)."""
import csv
import filecmp
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_support import KIT

DEMO = KIT / "demo" / "linear_regression"


# ---------------------------------------------------------------- fast: the parts, on their own
def test_a_shard_is_read_from_the_command_or_the_scheduler():
    from autograder.grade.shards import Shard, ShardError, parse
    assert parse("2/4", {}) == Shard(2, 4)
    # Slurm: --array=0-3 and --array=1-4 are the same four parts.
    assert parse("auto", {"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"}) == Shard(1, 4)
    assert parse("auto", {"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "4"}) == Shard(4, 4)
    # Kubernetes' Indexed Job: the index is 0-based; the count comes from the manifest or the command.
    assert parse("auto", {"JOB_COMPLETION_INDEX": "2", "AUTOGRADER_SHARDS": "3"}) == Shard(3, 3)
    assert parse("auto/5", {"JOB_COMPLETION_INDEX": "0"}) == Shard(1, 5)
    for bad, env in (("5/4", {}), ("0/4", {}), ("two", {}), ("auto", {}),
                     ("auto", {"JOB_COMPLETION_INDEX": "1"}), ("auto", {"SLURM_ARRAY_TASK_ID": "x"})):
        with pytest.raises(ShardError) as error:
            parse(bad, env)
        assert "--shard" in str(error.value)


def test_the_shards_hold_every_student_once_whatever_the_class():
    from autograder.grade.shards import Shard
    students = [f"student{i:04d}" for i in range(2000)] + ["smithalice_1001", "Ünïcode", "a b"]
    for count in (1, 2, 4, 7):
        parts = [[s for s in students if Shard(k, count).holds(s)] for k in range(1, count + 1)]
        assert sorted(s for part in parts for s in part) == sorted(students)
        # Balanced: with 2,000 students a part holds 2000/count ± 5 standard deviations of a binomial.
        n, p = len(students), 1 / count
        assert all(abs(len(part) - n * p) <= 5 * (n * p * (1 - p)) ** 0.5 for part in parts)


def test_progress_tells_the_time_left_and_stays_quiet_off_a_terminal():
    from autograder.report.progress import Progress
    now = [0.0]
    stream = io.StringIO()
    progress = Progress(200, stream=stream, clock=lambda: now[0])
    for i in range(200):
        now[0] += 1.5
        progress.advance(f"student{i}: 41/41")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("[200/200]")
    assert lines[0] == "[20/200] 30s elapsed, about 4m30s left"
    assert "student" not in stream.getvalue(), "no line per student off a terminal"


def test_a_stored_result_reads_back_as_it_was_graded():
    from autograder.config import Clearance
    from autograder.grade.scoring import GradedSubmission, ScoredCheck
    from autograder.grade.stored import from_dict, to_dict
    from autograder.grade.usage import Flag, FunctionUsage, Usage
    check = ScoredCheck("sgd_update", ("cpu",), ("cpu",), "sgd steps", ("sgd",), False, 0.0, 3.0, "failed", "out",
                        "forbidden", True, "msg", "hint", {"loss_curve": {"epochs": [1, 2], "yours": [0.5, None]}},
                        "visible")
    usage = Usage({"sgd": FunctionUsage("sgd", (Flag("torch.optim.SGD", False, "line 3"),), "elementary ops",
                                        Clearance(student="bob", assignment="linear_regression", function="sgd",
                                                  reason="it was fine"))}, "ab" * 32)
    graded = GradedSubmission("bob", "linear_regression", (check,), ("a note",), {"cpu": {"in_force": ["x"]}},
                              usage, 7, True, "printed", "jonesbob_LATE_1002_557")
    assert from_dict(to_dict(graded, "key")) == graded


# ---------------------------------------------------------------- slow: real runs
def _grade(subs, out, *extra, **kw):
    return subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(subs), "--out", str(out),
                           "--devices", "cpu", *extra], capture_output=True, text=True, cwd=KIT, timeout=900, **kw)


def _same_outputs(one: Path, other: Path) -> list[str]:
    """The files that differ between two output folders, leaving out the logs and the shards' own folder."""
    def files(root):
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
                and p.name != "grader.log" and "shards" not in p.relative_to(root).parts}
    left, right = files(one), files(other)
    differ = sorted(left ^ right)
    differ += [name for name in sorted(left & right) if not filecmp.cmp(one / name, other / name, shallow=False)]
    return differ


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("one") / "out"
    run = _grade(DEMO, out)
    assert run.returncode == 0, run.stderr[-3000:]
    return out


@pytest.mark.slow
def test_a_class_graded_in_shards_and_merged_is_the_same_as_one_run(one_run, tmp_path):
    out = tmp_path / "out"
    for k in (1, 2):
        run = _grade(DEMO, out, "--shard", f"{k}/3")
        assert run.returncode == 0, run.stderr[-3000:]
        assert not (out / "grades.csv").exists(), "a shard writes no class file"
    merge = [sys.executable, "-m", "autograder", "merge", "linear_regression", str(DEMO), "--out", str(out),
             "--devices", "cpu"]
    early = subprocess.run(merge, capture_output=True, text=True, cwd=KIT, timeout=300)
    assert early.returncode == 2 and "nothing merged" in early.stderr and "Traceback" not in early.stderr
    from autograder.grade.shards import shard_of
    third = sorted(s.name for s in DEMO.iterdir() if shard_of(s.name, 3) == 3)
    assert third and all(f"{s} (shard 3/3)" in early.stderr for s in third) and "--shard 3/3" in early.stderr
    assert not (out / "grades.csv").exists()
    run = _grade(DEMO, out, "--shard", "3/3")
    assert run.returncode == 0, run.stderr[-3000:]
    merged = subprocess.run(merge, capture_output=True, text=True, cwd=KIT, timeout=300)
    assert merged.returncode == 0, merged.stderr[-3000:]
    assert _same_outputs(one_run, out) == []
    log = (out / "grader.log").read_text()
    assert all(f"grader-{k}-of-3.log" in log for k in (1, 2, 3))


@pytest.mark.slow
def test_a_run_killed_midway_resumes_and_grades_each_remaining_student_once(one_run, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "autograder", "grade", "linear_regression", str(DEMO),
                                "--out", str(out), "--devices", "cpu", "--workers", "1"],
                               cwd=KIT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 600
    while len(list(out.glob("students/*/graded.json"))) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)  # the main process only: its workers must not live on
    process.wait()
    done = {p.parent.name for p in out.glob("students/*/graded.json")}
    assert 2 <= len(done) < 6, done
    time.sleep(2)
    survivors = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert survivors == [], "the killed run's workers lived on"
    assert not (out / "grades.csv").exists()
    again = _grade(DEMO, out)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{len(done)} of 6 student(s) already graded" in again.stderr
    assert f"grading the other {6 - len(done)}" in again.stderr
    log = (out / "grader.log").read_text()  # both runs' (a resumed run appends to it)
    second = log[log.rindex(" INFO grading linear_regression"):]
    first = [line.split("graded ", 1)[1].split(":")[0] for line in log[:log.rindex(" INFO grading linear_regression")]
             .splitlines() if " INFO graded " in line]
    assert first and set(first) <= done
    graded = [line.split("graded ", 1)[1].split(":")[0] for line in second.splitlines() if " INFO graded " in line]
    assert sorted(graded) == sorted(s.name for s in DEMO.iterdir() if s.name not in done), "each remaining student once"
    assert _same_outputs(one_run, out) == []


@pytest.mark.slow
def test_a_regrade_redoes_only_what_changed_and_says_who_moved(one_run, tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    shutil.copytree(DEMO, subs)
    shutil.copytree(one_run, out)
    # bob resubmits alice's (correct) file: only bob is graded again, and he went up.
    shutil.copy(DEMO / "alice" / "linear_regression.py", subs / "bob" / "linear_regression.py")
    run = _grade(subs, out)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "5 of 6 student(s) already graded" in run.stderr and "grading the other 1" in run.stderr
    changes = list(csv.DictReader((out / "changes.csv").open(newline="")))
    assert [(c["student"], c["after"], c["why"]) for c in changes] == [("bob", "41", "resubmitted")]
    assert float(changes[0]["before"]) < 41 and changes[0]["change"].startswith("+")
    # The instructor reweights a check: everyone is graded again, and the change names the check.
    config = tmp_path / "grading.toml"
    config.write_text((KIT / "grading.toml").read_text().replace("sgd_update = 3", "sgd_update = 5"))
    run = _grade(subs, out, "--config", str(config))
    assert run.returncode == 0, run.stderr[-3000:]
    assert "already graded" not in run.stderr
    assert "6 student(s) graded again over earlier results" in run.stderr
    changes = {c["student"]: c for c in csv.DictReader((out / "changes.csv").open(newline=""))}
    passed_sgd_update = {"alice", "bob"}
    assert passed_sgd_update <= set(changes)
    for student in passed_sgd_update:
        assert changes[student]["why"] == "grader changed" and "sgd_update: 3 -> 5" in changes[student]["checks"]
        assert changes[student]["change"] == "+2"
    # Nothing changed: nothing graded, and no changes file left from before.
    run = _grade(subs, out, "--config", str(config))
    assert run.returncode == 0 and "6 of 6 student(s) already graded" in run.stderr
    assert not (out / "changes.csv").exists()
