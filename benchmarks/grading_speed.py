"""How fast is grading, as ratios measured side by side in one run on this machine?

    python benchmarks/grading_speed.py [--count 40] [--naive-count 40] [--record docs/benchmarks.md]

Measures:
  bare    one `python -c "import torch"` (median of 5), the unit everything is compared with;
  batch   `autograder grade` on COUNT correct submissions (default workers: one per core);
  mixed   `autograder grade` on a class like the demo's (slips, timeouts, a syntax error), MIXED_COUNT students;
  again   the batch's command run again into the same output folder (every result kept);
  naive   a fresh interpreter per submission running the graded checks with pytest, one after another;
  local   a student's `pytest` in a finished assignments/linear_regression folder.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
DEMO = KIT / "demo" / "linear_regression"
CORRECT = DEMO / "alice" / "linear_regression.py"


def timed(cmd: list[str], cwd: Path = KIT) -> float:
    started = time.perf_counter()
    run = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"benchmark command failed ({run.returncode}): {' '.join(cmd)}\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return took


def machine() -> str:
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import torch
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({model}), "
            f"Python {platform.python_version()}, torch {torch.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40, help="correct submissions in the batch")
    parser.add_argument("--naive-count", type=int, default=40, help="submissions graded the naive way")
    parser.add_argument("--mixed-count", type=int, default=40, help="students in the demo-like class")
    parser.add_argument("--record", type=Path, help="append the results as a markdown section to this file")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subs = tmp / "subs"
        for i in range(args.count):
            (subs / f"student{i:03d}").mkdir(parents=True)
            shutil.copy(CORRECT, subs / f"student{i:03d}" / "linear_regression.py")
        bare = statistics.median(timed([python, "-c", "import torch"]) for _ in range(5))
        batch = timed([python, "-m", "autograder", "grade", "linear_regression", str(subs),
                       "--out", str(tmp / "out"), "--devices", "cpu", "--quiet"])
        scores = [json.loads((tmp / "out" / "students" / p.name / "results.json").read_text())["score"] for p in subs.iterdir()]
        # The same command again into the same OUT: every result is kept (stored.py), nothing graded.
        again = timed([python, "-m", "autograder", "grade", "linear_regression", str(subs),
                       "--out", str(tmp / "out"), "--devices", "cpu", "--quiet"])
        # A class like the demo's: slips, a syntax error, timeouts, a ready-made API, a misnamed file.
        mixed_subs = tmp / "mixed"
        demo = sorted(p for p in DEMO.iterdir() if p.is_dir())
        for i in range(args.mixed_count):
            shutil.copytree(demo[i % len(demo)], mixed_subs / f"student{i:03d}")
        mixed = timed([python, "-m", "autograder", "grade", "linear_regression", str(mixed_subs),
                       "--out", str(tmp / "mixed_out"), "--devices", "cpu", "--quiet"])
        naive = sum(timed([python, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                           "tests/graded/test_linear_regression.py", "-k", "cpu", "--submission",
                           str(subs / f"student{i:03d}" / "linear_regression.py")])
                    for i in range(args.naive_count))
        local_dir = tmp / "local"
        shutil.copytree(KIT / "assignments" / "linear_regression", local_dir)
        shutil.copy(CORRECT, local_dir / "linear_regression.py")
        local = timed([python, "-m", "pytest", "-q"], cwd=local_dir)
    per_naive = naive / args.naive_count
    rows = [
        ("bare `import torch` (median of 5)", f"{bare:.2f} s", "1"),
        (f"batch: `autograder grade`, {args.count} correct submissions", f"{batch:.1f} s",
         f"{batch / (args.count * bare):.3f} × ({args.count} × bare import)"),
        (f"batch: a demo-like class of {args.mixed_count} (the demo's {len(demo)} students, repeated)", f"{mixed:.1f} s",
         f"{mixed / (args.mixed_count * bare):.3f} × ({args.mixed_count} × bare import)"),
        (f"again into the same OUT ({args.count} results kept, none graded)", f"{again:.1f} s",
         f"{again / (args.count * bare):.3f} × ({args.count} × bare import)"),
        (f"naive: fresh pytest per submission ({args.naive_count} run, per submission)", f"{per_naive:.1f} s",
         f"batch is {per_naive * args.count / batch:.1f}× faster than naive for {args.count}"),
        ("a student's local `pytest` (linear_regression, finished)", f"{local:.1f} s", f"{local / bare:.2f} × bare import"),
    ]
    table = "| measurement | time | ratio |\n| --- | --- | --- |\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    report = (f"### {time.strftime('%Y-%m-%d')}: {machine()}\n\n"
              f"Command: `python benchmarks/grading_speed.py --count {args.count} --naive-count {args.naive_count} "
              f"--mixed-count {args.mixed_count}`. "
              f"Batch scores: {min(scores):g}–{max(scores):g} of each submission's maximum.\n\n{table}\n")
    print(report)
    if args.record:
        with args.record.open("a", encoding="utf-8") as f:
            f.write("\n" + report)


if __name__ == "__main__":
    main()
