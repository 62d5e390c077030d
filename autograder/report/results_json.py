"""OUT/students/<student>/results.json in Gradescope's results format.

Each test is named by what it checks (its title) and numbered by function ("2.3": the third check of
the second function; the checks of several functions, such as training, come last); the kit's own
id of a check is ``extra_data.check_id``. A file that did not run at all says so once, in the
top-level ``output``, and each check it failed points there instead of repeating it.
"""
from __future__ import annotations

import json
from pathlib import Path

from autograder.grade.scoring import GradedSubmission, owner
from autograder.report.layout import student_folder
from autograder.report.whole_file import did_not_run, under_banner

_NOT_RUN = "Not run: your file did not run (see the message at the top)."


def numbers(graded: GradedSubmission) -> dict[str, str]:
    """check name -> "F.K": functions in the order the checks meet them, then the checks of several."""
    groups: dict[str | None, list[str]] = {}
    for c in graded.checks:
        groups.setdefault(owner(c, graded.checks), []).append(c.name)
    ordered = [fn for fn in groups if fn is not None] + ([None] if None in groups else [])
    return {name: f"{i}.{k}" for i, fn in enumerate(ordered, 1) for k, name in enumerate(groups[fn], 1)}


def results_json(graded: GradedSubmission) -> dict:
    banner = did_not_run(graded)
    covered = under_banner(graded, banner)
    numbered = numbers(graded)
    tests = [{
        "name": c.title,
        "number": numbered[c.name],
        "score": c.score,
        "max_score": c.max_score,
        "status": c.status,
        "output": f"{c.title}\n{_NOT_RUN}" if c.name in covered else c.output,
        "tags": list(c.tags),
        "visibility": c.visibility,
        "extra_data": {"check_id": c.check_id, "devices": list(c.devices), "failed_on": list(c.failed_on), "advisory": c.advisory, "kind": c.kind,
                       **({"artifacts": c.artifacts} if c.artifacts else {})},
    } for c in graded.checks]
    if graded.printed:
        # What the code printed can quote the hidden checks' inputs: shown when they are.
        hidden_until = next((c.visibility for c in graded.checks if not c.public), "after_published")
        tests.append({"name": "What your code printed (last lines)", "number": f"{_last_group(numbered) + 1 if numbered else 1}.1",
                      "score": 0.0, "max_score": 0.0, "status": "passed", "output": graded.printed,
                      "visibility": hidden_until, "extra_data": {"kind": "printed"}})
    head = []
    if banner:
        hint = next((c.hint for c in graded.checks if c.name in covered and c.hint), None)
        head.append(f"Your file did not run, so no check could pass: {banner}" + (f"\nLikely cause: {hint}" if hint else ""))
    return {
        "score": graded.score,
        "tests": tests,
        "output": "\n\n".join([*head, *graded.notes]),
        "extra_data": {"max_score": graded.max_score, "assignment": graded.assignment, "seed": graded.seed,
                       "digest": graded.usage.digest, "usage": graded.usage.as_dict(),
                       "sandbox": graded.protections},
    }


def _last_group(numbered: dict[str, str]) -> int:
    return max(int(n.split(".")[0]) for n in numbered.values())


def write_results(graded: GradedSubmission, out: Path) -> Path:
    folder = student_folder(out, graded.student)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "results.json"
    path.write_text(json.dumps(results_json(graded), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
