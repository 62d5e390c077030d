"""OUT/students/<student>/: results.json and feedback.html, written as each student's result arrives."""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from autograder.grade.scoring import GradedSubmission
from autograder.report.html import write_feedback
from autograder.report.results_json import write_results

log = logging.getLogger("autograder")


def write_student_files(graded: GradedSubmission, out: Path) -> GradedSubmission:
    """``graded`` after writing its results.json and feedback.html. A write that fails (a full disk)
    is logged and noted in the results the class report shows, never raised: it is one student's."""
    try:
        write_results(graded, out)
        write_feedback(graded, out)
    except OSError as exc:
        log.error("could not write the results of %s: %s", graded.student, exc)
        graded = replace(graded, notes=graded.notes + (f"The grader could not write these results: {exc}",))
    return graded
