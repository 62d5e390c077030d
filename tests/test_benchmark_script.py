"""Does the benchmark script still run end to end? (Tiny counts; no timing is asserted.)"""
import subprocess
import sys

import pytest

from corpus_support import KIT

pytestmark = pytest.mark.slow


def test_benchmark_script_reports_every_ratio():
    run = subprocess.run([sys.executable, str(KIT / "benchmarks" / "grading_speed.py"), "--count", "2",
                          "--naive-count", "1", "--mixed-count", "2"], capture_output=True, text=True, cwd=KIT, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    for row in ("bare `import torch`", "batch: `autograder grade`", "batch: a demo-like class", "again into the same OUT",
                "naive: fresh pytest", "local `pytest`"):
        assert row in run.stdout
    assert "Batch scores: 41–41" in run.stdout
