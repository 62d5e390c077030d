"""nbgrader courses: the kit's assignments in a course's source/, and its grades in the gradebook.

    autograder nbgrader source [NAME...] [--course COURSE]   writes COURSE/source/<name>/<name>.ipynb
    nbgrader generate_assignment NAME             (nbgrader strips the solutions: release/)
    nbgrader release_assignment / collect         (as usual)
    autograder nbgrader grade NAME --out OUT [--course COURSE]
        grades COURSE/submitted/<student>/<name>/<name>.ipynb with the kit's engine, writes OUT
        as `autograder grade` does, and records the submissions as autograded: each check's
        points and messages in COURSE/gradebook.db, and COURSE/autograded/, so that the
        formgrader, `nbgrader export`, `generate_feedback` and `release_feedback` work.

The source notebook's graded cells hold only a comment naming their check: the hidden checks
and the reference stay with the kit, and never run in a student's kernel. `nbgrader autograde`
is not needed: `autograder nbgrader grade` takes its place.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.release import build as build_release, rules_of
from autograder.authoring.rules import with_rules
from autograder.checks.registry import load_checks
from autograder.config import load_config
from autograder.kit import Kit
from autograder.authoring.notebooks import GradedCheck, nbgrader_source, self_checks
from autograder.grade.scoring import GradedSubmission


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
    text = nbgrader_source(with_rules(kit.solution_file(assignment).read_text(encoding="utf-8"),
                                      rules_of(kit, assignment)), assignment,
                           _graded_checks(kit, assignment), self_checks(build_release(kit, assignment).files, assignment))
    target = course / "source" / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def cell_scores(graded: GradedSubmission) -> dict[str, float]:
    """Each check's points for nbgrader's grade cell ``check_<id>``; checks worth nothing
    (advisory ones, by default) have no grade cell."""
    return {f"check_{c.check_id}": c.score for c in graded.checks if c.max_score > 0}


def cell_comments(graded: GradedSubmission) -> dict[str, str]:
    """What the kit says, per cell: each check's feedback on its task cell, and on each function's
    solution cell where to start (or the problem that kept the whole file from running)."""
    from autograder.report.html import fix_first
    from autograder.report.whole_file import did_not_run
    comments = {f"check_{c.check_id}": _check_comment(c) for c in graded.checks if c.max_score > 0}
    banner = did_not_run(graded)
    first = {row["function"]: row for row in fix_first(graded, banner)}
    for fn in dict.fromkeys(t for c in graded.checks for t in c.tags):
        if banner:
            text = f"Your file did not run, so no check of {fn} could: {banner}"
        elif fn in first:
            text = f"Fix this first: {first[fn]['title']}\n\n{first[fn]['why']}"
        else:
            text = f"Every check of {fn} passed."
        comments[f"solution_{fn}"] = _as_markdown_text(text)
    return comments


def _as_markdown_text(text: str) -> str:
    """``text`` as a fenced block of plain text: the formgrader's comment box shows it as it is, and
    nbgrader's feedback renders it as itself (a code block's HTML is escaped, so an <img onerror=...>
    quoted from a student's error never runs in the instructor's formgrader)."""
    fence = "~~~~"
    while fence in text:
        fence += "~"
    return f"{fence}text\n{text}\n{fence}"


def _check_comment(check) -> str:
    """The check's cell already shows its title: the comment says what happened (nbgrader renders
    comments as Markdown, so paragraphs are blank-line separated)."""
    if check.status == "passed":
        return "Passed."
    text = check.message.strip() or "Failed."
    return _as_markdown_text(text + (f"\n\nLikely cause: {check.hint}" if check.hint else ""))


def _submitted_timestamp(folder: Path):
    """The submission's time as nbgrader reads it, so that the formgrader sees the autograded
    copy as current (it compares the two)."""
    from nbgrader.utils import parse_utc
    stamp = folder / "timestamp.txt"
    if not stamp.is_file():
        return None
    try:
        return parse_utc(stamp.read_text(encoding="utf-8").strip())
    except (ValueError, OverflowError):
        return None


def _autograded_notebook(submitted: Path, gb, assignment: str):
    """The student's notebook as nbgrader's own autograde leaves it: every locked cell of the
    source restored (a student may have edited or deleted one), so that feedback shows each
    check's cell with its points and comment."""
    import nbformat
    notebook_model = gb.find_notebook(assignment, assignment)
    graded = {cell.name: cell for cell in list(notebook_model.task_cells) + list(notebook_model.grade_cells)}
    source_cells = {cell.name: cell for cell in notebook_model.source_cells}
    try:
        notebook = nbformat.read(submitted, as_version=4)
    except Exception:  # noqa: BLE001 - not a notebook at all: the feedback still lists every check
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
            f"*The autograder could not read the notebook you handed in ({submitted.name}).*")])
    present = set()
    for cell in notebook.cells:
        # As nbgrader's autograde: no output of the student's survives (a forged text/html would run
        # in the formgrader's origin), and a cell keeps nbgrader metadata only as the source has it:
        # an unknown or repeated grade_id, or points of the student's own, are stripped.
        if cell.get("cell_type") == "code":
            cell.outputs, cell.execution_count = [], None
        cell.pop("attachments", None)
        meta = cell.get("metadata", {}).get("nbgrader")
        name = meta.get("grade_id") if isinstance(meta, dict) else None
        if meta is not None and (name not in source_cells or name in present):
            cell.metadata.pop("nbgrader", None)
            continue
        if name is None:
            continue
        present.add(name)
        source = source_cells[name]
        if source.locked:
            cell.source = source.source
        cell.metadata["nbgrader"] = _source_metadata(source, graded.get(name))
    for name, model in graded.items():
        if name not in present:
            source = source_cells.get(name)
            cell = nbformat.v4.new_markdown_cell(source.source if source is not None else f"Graded check {name}")
            cell.metadata["nbgrader"] = {"schema_version": 3, "task": True, "grade": False, "solution": False,
                                         "locked": True, "points": model.max_score, "grade_id": name}
            notebook.cells.append(cell)
    return notebook


def _source_metadata(source, graded) -> dict:
    """nbgrader's metadata of a cell as the source notebook defines it, whatever the student's copy says."""
    kind = type(graded).__name__ if graded is not None else ""
    meta = {"schema_version": 3, "grade_id": source.name, "locked": bool(source.locked),
            "solution": graded is None and not source.locked, "grade": kind == "GradeCell",
            "task": kind == "TaskCell"}
    if graded is not None:
        meta["points"] = graded.max_score
    return meta


def record(course: Path, assignment: str, graded: list[GradedSubmission], database: str | None = None) -> Recorded:
    """Write each student's results into the course, as `nbgrader autograde` would have.

    - the gradebook: the submission, at the time nbgrader recorded for it, each check's points as
      the task cell's auto score (an instructor's manual score in the formgrader still wins), and
      the kit's messages as auto comments on the check's and the function's cells;
    - autograded/<student>/<assignment>/: the notebook and its timestamp, which the formgrader
      and `nbgrader generate_feedback` read.
    """
    import warnings

    try:
        import nbformat
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
        commented = cells | {cell.name for cell in notebook.solution_cells}
        done = []
        for g in graded:
            scores, comments = cell_scores(g), cell_comments(g)
            unknown = sorted(set(scores) - cells)
            if unknown:
                raise CourseError(f"{url}: the gradebook's {assignment} has no grade cell {unknown[0]}; "
                                  "regenerate it: `autograder nbgrader source` then `nbgrader generate_assignment`")
            submitted = course / "submitted" / g.student / assignment
            autograded = course / "autograded" / g.student / assignment
            # As nbgrader's autograde: the rest of the submission comes along (timestamp.txt, and
            # submission_secret.txt, which release_feedback needs); links stay links.
            shutil.copytree(submitted, autograded, symlinks=True, dirs_exist_ok=True,
                            ignore=lambda folder, names: [f"{assignment}.ipynb"] if Path(folder) == submitted else [])
            nbformat.write(_autograded_notebook(submitted / f"{assignment}.ipynb", gb, assignment),
                           autograded / f"{assignment}.ipynb")
            gb.update_or_create_student(g.student)
            gb.update_or_create_submission(assignment, g.student, timestamp=_submitted_timestamp(submitted))
            for cell in cells:
                grade = gb.find_grade(cell, assignment, assignment, g.student)
                grade.auto_score = scores.get(cell, 0.0)
                grade.needs_manual_grade = False
            for cell in commented & set(comments):
                gb.find_comment(cell, assignment, assignment, g.student).auto_comment = comments[cell]
            gb.db.commit()
            done.append(g.student)
    return Recorded(tuple(done), db_path)


def grade(course: Path, assignment: str, out: Path, **options) -> Recorded:
    """Grade the collected submissions of one assignment and record them in the gradebook."""
    import tempfile

    from autograder.grade import main as grade_all
    from autograder.grade.submission import NotARegularFile, read_regular
    submitted = course / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir()) if submitted.is_dir() else []
    if not students:
        raise CourseError(f"{submitted}: no collected submissions of {assignment} "
                          f"(expected {submitted}/<student>/{assignment}/{assignment}.ipynb; "
                          f"run `nbgrader collect {assignment}`)")
    with tempfile.TemporaryDirectory(prefix="nbgrader-") as tmp:
        view = Path(tmp)  # what nbgrader shows: each collected notebook, nothing beside it
        for student in students:
            (view / student).mkdir()
            notebook = submitted / student / assignment / f"{assignment}.ipynb"
            try:
                (view / student / f"{assignment}.ipynb").write_bytes(read_regular(notebook, submitted / student))
            except (NotARegularFile, FileNotFoundError):
                pass  # graded as "no notebook", with what the folder held
        report = grade_all(submissions=view, assignment=assignment, out=out, **options)
    return record(course, assignment, list(report.graded))
