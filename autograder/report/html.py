"""OUT/students/<student>/feedback.html and OUT/report.html: self-contained pages (inline CSS and images)."""
from __future__ import annotations

from pathlib import Path

import jinja2

from autograder.report import plots
from autograder.report.layout import student_folder
from autograder.grade.scoring import GradedSubmission, owner
from autograder.report.class_view import HELP_BELOW, HELP_SHOWN, ClassView
from autograder.report.whole_file import did_not_run, under_banner

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("autograder.report", "templates"),
                          autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

LIMIT_KINDS = {"timeout": "ran out of time", "crash": "crashed or ran out of memory",
               "forbidden": "used a ready-made API", "tampering": "reached into the grader"}


def fix_first(graded: GradedSubmission, banner: str | None) -> list[dict]:
    """Per function, in the order the checks meet them, its first failed check: where to start."""
    first: dict[str, dict] = {}
    for c in graded.checks:
        fn = owner(c, graded.checks)
        if c.status != "failed" or c.max_score == 0 or banner or fn is None:
            continue
        first.setdefault(fn, {"function": fn, "title": c.title,
                                 "why": c.hint or c.message.strip().splitlines()[0]})
    return list(first.values())


def feedback_page(graded: GradedSubmission) -> str:
    curves = [{**c.artifacts["loss_curve"], "device": ", ".join(c.devices), "image": plots.loss_curve(c.artifacts["loss_curve"])}
              for c in graded.checks if "loss_curve" in c.artifacts]
    banner = did_not_run(graded)
    covered = under_banner(graded, banner)
    banner_hint = next((c.hint for c in graded.checks if c.name in covered and c.hint), None)
    return _ENV.get_template("feedback.html.j2").render(g=graded, curves=curves, banner=banner, covered=covered,
                                                         banner_hint=banner_hint, fix_first=fix_first(graded, banner))


def write_feedback(graded: GradedSubmission, out: Path) -> Path:
    folder = student_folder(out, graded.student)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feedback.html"
    path.write_text(feedback_page(graded), encoding="utf-8")
    return path


def _limited(graded: list[GradedSubmission]) -> list[dict]:
    rows = []
    for g in sorted(graded, key=lambda g: g.student):
        hit = [c for c in g.checks if c.kind in LIMIT_KINDS]
        what = sorted({LIMIT_KINDS[c.kind] for c in hit})
        outside = [u for u in g.usage.flagged() if u.costs and not u.tampering]
        if outside:
            what = [w for w in what if w != LIMIT_KINDS["forbidden"]]
            what += [f"{u.function} uses {', '.join(f.what for f in u.flags)}" for u in outside]
        flooded = [c for c in g.checks if "File too large" in c.message or "printed more than" in (c.hint or "")]
        if flooded:
            what.append("printed more than the output limit")
            hit += flooded
        if what:
            rows.append({"student": g.student, "what": what, "checks": sorted({c.name for c in hit})})
    return rows


def review_list(graded: list[GradedSubmission]) -> list[dict]:
    """The functions the grader flagged, per student: tools that reach into the grader first (sent to
    an instructor's review), then operations outside the rules; cleared flags stay listed as such."""
    rows = []
    for g in graded:
        for usage in g.usage.flagged():
            rows.append({"student": g.student, "function": usage.function, "tampering": usage.tampering,
                         "flags": [{"what": f.what, "where": f.where, "tampering": f.tampering} for f in usage.flags],
                         "cleared": usage.cleared.reason if usage.cleared is not None else None,
                         "command": (f"autograder review clear {g.assignment} {g.student} --function "
                                     f"{usage.function} --digest {g.usage.digest[:16]} --reason \"...\"")})
    return sorted(rows, key=lambda r: (r["cleared"] is not None, not r["tampering"], r["student"], r["function"]))


CAUSES_SHOWN = 8
"""The causes the report's first screen shows (the rest behind a button; base.html.j2's tr:nth-child(n+9))."""


def class_page(graded: list[GradedSubmission], view: ClassView) -> str:
    """The instructor's page: what to teach again and who needs help first, then the details."""
    missing = sorted({m for g in graded for m in g.missing_protections})
    review = review_list(graded)
    return _ENV.get_template("report.html.j2").render(
        v=view, seed=graded[0].seed if graded else None, missing=missing,
        full=sum(1 for s in view.students if s.max_score > 0 and s.score == s.max_score),
        zero=sum(1 for s in view.students if s.score == 0), late=sum(1 for s in view.students if s.late),
        not_run=sum(1 for s in view.students if s.did_not_run),
        review=review, review_open=sum(1 for row in review if not row["cleared"]),
        histogram=plots.score_histogram(view.scores, view.max_score), limited=_limited(graded),
        causes_shown=CAUSES_SHOWN, help_below=HELP_BELOW, help_shown=HELP_SHOWN)


def write_report(graded: list[GradedSubmission], view: ClassView, out: Path) -> Path:
    path = out / "report.html"
    path.write_text(class_page(graded, view), encoding="utf-8")
    return path
