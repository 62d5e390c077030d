"""OUT/students/<student>/results.json in Gradescope's results format."""
from __future__ import annotations

import json
from pathlib import Path

from autograder.grade.scoring import GradedSubmission
from autograder.report.layout import student_folder


def results_json(graded: GradedSubmission) -> dict:
    tests = [{
        "name": c.name,
        "score": c.score,
        "max_score": c.max_score,
        "status": c.status,
        "output": c.output,
        "tags": list(c.tags),
        "visibility": c.visibility,
        "extra_data": {"check_id": c.check_id, "devices": list(c.devices), "failed_on": list(c.failed_on), "advisory": c.advisory, "kind": c.kind,
                       **({"artifacts": c.artifacts} if c.artifacts else {})},
    } for c in graded.checks]
    if graded.printed:
        # What the code printed can quote the hidden checks' inputs: shown when they are.
        hidden_until = next((c.visibility for c in graded.checks if not c.public), "after_published")
        tests.append({"name": "What your code printed (last lines)", "score": 0.0, "max_score": 0.0,
                      "status": "passed", "output": graded.printed, "visibility": hidden_until,
                      "extra_data": {"kind": "printed"}})
    return {
        "score": graded.score,
        "tests": tests,
        "output": "\n\n".join(graded.notes),
        "extra_data": {"max_score": graded.max_score, "assignment": graded.assignment, "seed": graded.seed,
                       "digest": graded.usage.digest, "usage": graded.usage.as_dict(),
                       "sandbox": graded.protections},
    }


def write_results(graded: GradedSubmission, out: Path) -> Path:
    folder = student_folder(out, graded.student)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "results.json"
    path.write_text(json.dumps(results_json(graded), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
