"""The instructor's reading of a class (report/class_view.py), on hand-made results: causes grouped
the way an instructor would group them, and the students who need help first."""
import csv

from autograder.grade.scoring import GradedSubmission, ScoredCheck
from autograder.report.class_view import HELP_BELOW, class_view
from autograder.report.html import class_page
from autograder.report.misconceptions_csv import write_misconceptions


def _check(name, tags, *, passed=True, points=2.0, kind="wrong", hint=None, message="", title=None):
    return ScoredCheck(check_id=name, devices=("cpu",), failed_on=() if passed else ("cpu",), title=title or name,
                       tags=tuple(tags), advisory=points == 0, score=points if passed else 0.0, max_score=points,
                       status="passed" if passed else "failed", output=message, kind="passed" if passed else kind,
                       message=message, hint=hint)


def _student(name, failing=(), *, late=False, whole=None):
    """A linear_regression-like result; ``failing`` maps check names to (kind, hint, message)."""
    layout = [("sgd_step", ("sgd",)), ("sgd_zero", ("sgd",)), ("loss_shape", ("squared_loss",)),
              ("loss_values", ("squared_loss",)), ("train", ("sgd", "squared_loss"))]
    checks = []
    for check, tags in layout:
        if whole is not None:
            checks.append(_check(check, tags, passed=False, kind=whole[0], message=whole[1]))
        elif check in failing:
            kind, hint, message = failing[check]
            checks.append(_check(check, tags, passed=False, kind=kind, hint=hint, message=message))
        else:
            checks.append(_check(check, tags))
    return GradedSubmission(name, "linear_regression", tuple(checks), (), {}, late=late)


DOUBLE = {"sgd_step": ("wrong", "Divide by batch_size once.", "step too small"),
          "sgd_zero": ("wrong", "Subtract lr · grad / batch_size and clear the gradients each step.", "x"),
          "train": ("wrong", "See the training checks.", "loss did not fall")}


def _class():
    return [
        _student("ann", DOUBLE), _student("ben", DOUBLE, late=True), _student("cy"),
        _student("dee", {"loss_values": ("crash", None, "RuntimeError: boom (line 12 of linear_regression.py)")}),
        _student("eve", {"loss_values": ("crash", None, "RuntimeError: boom (line 40 of linear_regression.py)")}),
        _student("fay", whole=("syntax", "sgd was never defined: line 3 of linear_regression.py has a syntax error")),
        _student("gus", whole=("missing", "linear_regression.py has no function named sgd.")),
    ]


def test_one_misconception_seen_by_several_checks_is_one_cause_with_its_students():
    view = class_view(_class(), "linear_regression")
    first = view.causes[0]
    assert first.students == ("ann", "ben") and first.functions == ("sgd",)
    # The two sgd hints of the same students are one row: as costly as each other, the fuller wording leads.
    assert first.text == "Subtract lr · grad / batch_size and clear the gradients each step."
    assert first.also == ("Divide by batch_size once.",)
    # The training check failed as a consequence of sgd's own failure: not a cause of its own.
    assert not any("See the training checks" in c.text for c in view.causes)
    assert dict(first.lost) == {"ann": 4.0, "ben": 4.0} and first.points == 8.0


def test_the_same_error_from_different_lines_is_one_cause():
    view = class_view(_class(), "linear_regression")
    boom = [c for c in view.causes if "boom" in c.text]
    assert len(boom) == 1 and boom[0].students == ("dee", "eve") and "line …" in boom[0].text


def test_a_file_that_did_not_run_is_one_cause_per_kind_of_problem():
    view = class_view(_class(), "linear_regression")
    whole = {c.students: c.text for c in view.causes if c.whole_file}
    assert "syntax error" in whole[("fay",)] and "defines none of the assignment's functions" in whole[("gus",)]
    rows = {s.student: s for s in view.students}
    assert rows["fay"].did_not_run.startswith("Line 3 of linear_regression.py has a syntax error")


def test_who_needs_help_first_is_the_lowest_scores_first():
    view = class_view(_class(), "linear_regression", names={"fay": "Fay, F."})
    needy = [s.student for s in view.needs_help]
    assert needy[:2] in (["fay", "gus"], ["gus", "fay"])
    assert all(s.share < HELP_BELOW for s in view.needs_help) and "cy" not in needy
    assert [s.share for s in view.needs_help] == sorted(s.share for s in view.needs_help)
    assert view.name("fay") == "Fay, F." and view.name("gus") == "gus"


def test_misconceptions_csv_has_a_row_per_student_and_cause(tmp_path):
    graded = _class() + [_student("=HYPERLINK(\"x\")", DOUBLE)]
    view = class_view(graded, "linear_regression", names={"ann": "Smith, Ann"})
    path = write_misconceptions(view, tmp_path)
    rows = list(csv.DictReader(path.open(newline="")))
    ann = [r for r in rows if r["student"] == "ann"]
    assert len(ann) == 1 and ann[0]["name"] == "Smith, Ann" and ann[0]["points_lost"] == "4"
    assert ann[0]["students_with_it"] == "3" and ann[0]["functions"] == "sgd"
    assert [r["late"] for r in rows if r["student"] == "ben"] == ["late"]
    assert any(r["student"].startswith("'=HYPERLINK") for r in rows), "a formula-like name is neutral text"
    assert not any(r["student"] == "cy" for r in rows), "full marks: no cause"


def test_the_report_escapes_what_came_from_students():
    graded = [_student("<script>alert(1)</script>",
                       {"loss_values": ("crash", None, "RuntimeError: <img src=x onerror=alert(1)>")})]
    page = class_page(graded, class_view(graded, "linear_regression"))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
