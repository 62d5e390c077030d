"""OUT/canvas_feedback.zip: each student's feedback page, as Canvas's "Re-Upload Submissions" takes it.

Canvas turns each file of the zip into a comment on one student's submission. It reads the file's
name as its own download named it: split at ``_``, the first two parts made only of digits are the
student's Canvas ID and the ID of a file of their current submission
(``Assignment#infer_comment_context_from_filename`` in canvas-lms); a file it cannot place is
listed as ignored. So each page is named after the head of the graded file's download name
(``smithalice_LATE_1001_556_feedback.html``), which only a class graded from Canvas's own download
has: for other layouts no zip is written.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from autograder.grade.scoring import GradedSubmission
from autograder.report.layout import student_folder

ZIP_NAME = "canvas_feedback.zip"
_EPOCH = (1980, 1, 1, 0, 0, 0)
"""Every entry's time: the same class gives the same bytes, whenever and however it was graded."""


def write_feedback_zip(graded: list[GradedSubmission], out: Path) -> tuple[Path | None, list[str]]:
    """Write the zip where the class came from Canvas's download; return its path (None when no
    student has a Canvas name) and the students left out of it (graded from another layout)."""
    named = sorted((g for g in graded if g.canvas_name), key=lambda g: g.canvas_name)
    left_out = sorted(g.student for g in graded if not g.canvas_name)
    path = Path(out) / ZIP_NAME
    if not named:
        path.unlink(missing_ok=True)  # from an earlier grading of another layout
        return None, left_out
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for g in named:
            page = student_folder(out, g.student) / "feedback.html"
            entry = zipfile.ZipInfo(f"{g.canvas_name}_feedback.html", date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, page.read_bytes())
    return path, left_out
