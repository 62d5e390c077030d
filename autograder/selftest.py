"""``autograder selftest``: is this machine fit to grade?

For each assignment it grades the reference (full marks expected) and the untouched stub (0, every
check saying "not implemented yet") through the real grading path, then the demo class against
demo/expected_scores.toml, and prints per device the protections in force, the reference's score
and the seconds per submission.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from autograder.config import load_config, tomllib
from autograder.grade import main as grade
from autograder.grade.canary import CanaryFailed
from autograder.grade.judge import require_devices_before_grading
from autograder.kit import Kit, find_kit


def main(*, kit: Path | None = None, devices: list[str] | None = None, workers: int | None = None) -> int:
    """Grade every reference, stub and the demo class here; 0 when all are as expected, else 1.

    Args:
        kit: the kit folder (found from the current folder if omitted).
        devices: the devices to check, such as ``["cpu", "cuda"]`` (default: grading.toml's).
        workers: submissions graded at once (default 2).
    """
    found = find_kit(kit)
    require_devices_before_grading(devices or load_config(found.config_path).run.devices)
    problems: list[str] = []
    protections: dict[str, dict] = {}
    rows = [("assignment", "reference", "stub", "s/submission")]
    with tempfile.TemporaryDirectory(prefix="autograder-selftest-") as tmp:
        for assignment in found.assignments():
            subs = Path(tmp) / assignment / "submissions"
            for student, source in (("reference", found.solution_file(assignment)),
                                    ("stub", found.root / "assignments" / assignment / f"{assignment}.py")):
                (subs / student).mkdir(parents=True)
                shutil.copyfile(source, subs / student / f"{assignment}.py")
            started = time.monotonic()
            try:
                report = grade(submissions=subs, assignment=assignment, out=Path(tmp) / assignment / "out",
                               kit=found.root, devices=devices, workers=workers or 2, quiet=True)
            except CanaryFailed as exc:
                problems.append(f"{assignment}: {exc}")
                rows.append((assignment, "failed", "-", "-"))
                continue
            per_submission = (time.monotonic() - started) / 3  # the canary, the reference, the stub
            by_name = {g.student: g for g in report.graded}
            ref, stub = by_name["reference"], by_name["stub"]
            protections.update(ref.protections)
            if ref.score != ref.max_score:
                problems.append(f"{assignment}: the reference got {ref.score:g}/{ref.max_score:g}")
            unimplemented = all("not implemented yet" in c.output for c in stub.checks)
            if stub.score != 0 or not unimplemented:
                problems.append(f"{assignment}: the stub got {stub.score:g}/{stub.max_score:g}"
                                + ("" if unimplemented else ", and not every check said 'not implemented yet'"))
            rows.append((assignment, f"{ref.score:g}/{ref.max_score:g}", f"{stub.score:g}", f"{per_submission:.2f}"))
        problems += _demo_problems(found, devices, workers, Path(tmp))
    print(_table(rows))
    for device, report in sorted(protections.items()):
        print(f"\n{device}: protections in force:")
        for item in report.get("in_force", []):
            print(f"  + {item}")
        for item in report.get("missing", []):
            print(f"  - NOT in force: {item}")
    if problems:
        print("\nselftest FAILED:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("\nselftest passed: every reference got full marks, every stub 0, the demo class as expected.")
    return 0


def _demo_problems(kit: Kit, devices, workers, tmp: Path) -> list[str]:
    expected_path = kit.root / "demo" / "expected_scores.toml"
    if not expected_path.is_file():
        return []
    problems = []
    for assignment, expected in tomllib.loads(expected_path.read_text(encoding="utf-8")).items():
        try:
            report = grade(submissions=kit.root / "demo" / assignment, assignment=assignment,
                           out=tmp / f"demo-{assignment}", kit=kit.root, devices=devices,
                           workers=workers or 2, quiet=True)
        except CanaryFailed as exc:
            problems.append(f"demo {assignment}: {exc}")
            continue
        got = {g.student: g.score for g in report.graded}
        for student, score in expected.items():
            if got.get(student) != score:
                problems.append(f"demo {assignment}: {student} got {got.get(student)}, expected {score}")
    return problems


def _table(rows) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
