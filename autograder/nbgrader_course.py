"""nbgrader courses: the kit's assignments in a course's source/, and its grades in the gradebook.

    autograder nbgrader source COURSE [NAME...]   writes COURSE/source/<name>/<name>.ipynb
    nbgrader generate_assignment NAME             (nbgrader strips the solutions: release/)
    nbgrader release_assignment / collect         (as usual)
    autograder nbgrader grade COURSE NAME --out OUT
        grades COURSE/submitted/<student>/<name>/<name>.ipynb with the kit's engine, writes OUT
        as `autograder grade` does, and records each check's points in COURSE/gradebook.db,
        so that `nbgrader export` and the formgrader show them.

The source notebook's graded cells hold only a comment naming their check: the hidden checks
and the reference stay with the kit, and never run in a student's kernel. `nbgrader autograde`
is not needed: `autograder nbgrader grade` takes its place.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from autograder.checks.registry import load_checks
from autograder.config import load_config
from autograder.kit import Kit
from autograder.notebook_release import GradedCheck, nbgrader_source
from autograder.scoring import GradedSubmission


class CourseError(Exception):
    """The course folder or its gradebook cannot be used; the message says why."""


@dataclass(frozen=True)
class Recorded:
    """What went into the gradebook."""

    students: tuple[str, ...]
    database: Path


def _graded_checks(kit: Kit, assignment: str) -> list[GradedCheck]:
    config = load_config(kit.config_path)
    checks = []
    for spec in load_checks(kit, assignment):
        points = config.points_for(assignment, spec.id, spec.advisory)
        if points > 0:
            checks.append(GradedCheck(spec.id, spec.title, points, spec.tags))
    return checks


def write_source(kit: Kit, assignment: str, course: Path) -> Path:
    """COURSE/source/<assignment>/<assignment>.ipynb, with nbgrader's cell metadata."""
    kit.require(assignment)
    if not course.is_dir():
        raise CourseError(f"{course}: course folder not found (it holds nbgrader_config.py and source/)")
    text = nbgrader_source(kit.solution_file(assignment).read_text(encoding="utf-8"), assignment,
                           _graded_checks(kit, assignment))
    target = course / "source" / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def cell_scores(graded: GradedSubmission) -> dict[str, float]:
    """Each check's points for nbgrader's grade cell ``check_<id>``; checks worth nothing
    (advisory ones, by default) have no grade cell."""
    return {f"check_{c.check_id}": c.score for c in graded.checks if c.max_score > 0}


def _timestamp(folder: Path) -> dt.datetime | None:
    stamp = folder / "timestamp.txt"
    if not stamp.is_file():
        return None
    text = stamp.read_text(encoding="utf-8").strip()
    for fmt in ("%Y-%m-%d %H:%M:%S.%f %Z", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def record(course: Path, assignment: str, graded: list[GradedSubmission], database: str | None = None) -> Recorded:
    """Write each student's check scores into the course's gradebook.

    Each check is a task cell; its score goes in as the cell's manual score, which the
    formgrader shows and an instructor can still change, and which `nbgrader autograde`
    would not overwrite.
    """
    import warnings

    try:
        from nbgrader.api import Gradebook, MissingEntry
    except ImportError:
        raise CourseError("nbgrader is not installed: pip install 'd2l-ch3-autograder[nbgrader]' "
                          "(or pip install -e '.[nbgrader]' in the kit)") from None
    warnings.filterwarnings("ignore", module="nbgrader")  # its SQLAlchemy warnings mean nothing here
    url = database or f"sqlite:///{(course / 'gradebook.db').resolve()}"
    db_path = course / "gradebook.db"
    if database is None and not db_path.is_file():
        raise CourseError(f"{db_path}: no gradebook; run `nbgrader generate_assignment {assignment}` "
                          "in the course folder first")
    with Gradebook(url) as gb:
        try:
            notebook = gb.find_notebook(assignment, assignment)
        except MissingEntry:
            raise CourseError(f"{url}: the gradebook has no notebook {assignment} in assignment {assignment}; "
                              f"run `nbgrader generate_assignment {assignment}` first") from None
        cells = {cell.name for cell in notebook.task_cells} | {cell.name for cell in notebook.grade_cells}
        done = []
        for g in graded:
            scores = cell_scores(g)
            unknown = sorted(set(scores) - cells)
            if unknown:
                raise CourseError(f"{url}: the gradebook's {assignment} has no grade cell {unknown[0]}; "
                                  "regenerate it: `autograder nbgrader source` then `nbgrader generate_assignment`")
            gb.update_or_create_student(g.student)
            stamp = _timestamp(course / "submitted" / g.student / assignment)
            gb.update_or_create_submission(assignment, g.student, **({"timestamp": stamp} if stamp else {}))
            for cell in cells:
                grade = gb.find_grade(cell, assignment, assignment, g.student)
                grade.manual_score = scores.get(cell, 0.0)
                grade.needs_manual_grade = False
            gb.db.commit()
            done.append(g.student)
    return Recorded(tuple(done), db_path)


def grade(course: Path, assignment: str, out: Path, **options) -> Recorded:
    """Grade the collected submissions of one assignment and record them in the gradebook."""
    import tempfile

    from autograder.grade import main as grade_all
    submitted = course / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir()) if submitted.is_dir() else []
    if not students:
        raise CourseError(f"{submitted}: no collected submissions of {assignment} "
                          f"(expected {submitted}/<student>/{assignment}/{assignment}.ipynb; "
                          f"run `nbgrader collect {assignment}`)")
    with tempfile.TemporaryDirectory(prefix="nbgrader-") as tmp:
        view = Path(tmp)  # only the students who handed in this assignment
        for student in students:
            (view / student).symlink_to((submitted / student / assignment).resolve(), target_is_directory=True)
        report = grade_all(submissions=view, assignment=assignment, out=out, **options)
    return record(course, assignment, list(report.graded))
