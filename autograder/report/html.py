"""OUT/<student>/feedback.html and OUT/report.html: self-contained pages (inline CSS and images)."""
from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import jinja2

from autograder.report import plots
from autograder.scoring import GradedSubmission

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("autograder.report", "templates"),
                          autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

LIMIT_KINDS = {"timeout": "ran out of time", "crash": "crashed or ran out of memory",
               "forbidden": "used a ready-made API", "tampering": "reached into the grader"}


def feedback_page(graded: GradedSubmission) -> str:
    curves = [{**c.artifacts["loss_curve"], "device": ", ".join(c.devices), "image": plots.loss_curve(c.artifacts["loss_curve"])}
              for c in graded.checks if "loss_curve" in c.artifacts]
    return _ENV.get_template("feedback.html.j2").render(g=graded, curves=curves)


def write_feedback(graded: GradedSubmission, out: Path) -> Path:
    folder = out / graded.student
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feedback.html"
    path.write_text(feedback_page(graded), encoding="utf-8")
    return path


def _pass_rates(graded: list[GradedSubmission]) -> list[dict]:
    rows: dict[str, dict] = {}
    for g in graded:
        for c in g.checks:
            row = rows.setdefault(c.name, {"name": c.name, "title": c.title, "tags": c.tags, "passed": 0,
                                           "total": 0, "causes": Counter()})
            row["total"] += 1
            if c.status == "passed":
                row["passed"] += 1
            elif c.kind not in _NOT_A_MISCONCEPTION:
                row["causes"][_cause(c)] += 1
    out = []
    for row in rows.values():
        causes = row.pop("causes")
        cause, count = causes.most_common(1)[0] if causes else (None, 0)
        out.append({**row, "rate": row["passed"] / row["total"], "cause": cause, "cause_count": count})
    return sorted(out, key=lambda r: (r["rate"], r["name"]))


# Whole-file problems say nothing about what a student misunderstood of one check.
_NOT_A_MISCONCEPTION = {"import", "missing", "not_implemented", "internal"}


def _cause(check) -> str:
    if check.hint:
        return check.hint
    return check.message.strip().splitlines()[0] if check.message.strip() else "no detail"


def _limited(graded: list[GradedSubmission]) -> list[dict]:
    rows = []
    for g in sorted(graded, key=lambda g: g.student):
        hit = [c for c in g.checks if c.kind in LIMIT_KINDS]
        what = sorted({LIMIT_KINDS[c.kind] for c in hit})
        if g.forbidden:
            what = [w for w in what if w != LIMIT_KINDS["forbidden"]]
            what += [f"{fn} calls {', '.join(apis)}" for fn, apis in sorted(g.forbidden.items())]
        flooded = [c for c in g.checks if "File too large" in c.message or "printed more than" in (c.hint or "")]
        if flooded:
            what.append("printed more than the output limit")
            hit += flooded
        if what:
            rows.append({"student": g.student, "what": what, "checks": sorted({c.name for c in hit})})
    return rows


def class_page(graded: list[GradedSubmission], assignment: str) -> str:
    scores = [g.score for g in graded]
    max_score = max((g.max_score for g in graded), default=0.0)
    missing = sorted({m for g in graded for m in g.missing_protections})
    return _ENV.get_template("report.html.j2").render(
        assignment=assignment, students=sorted(graded, key=lambda g: g.student), max_score=max_score,
        mean=statistics.fmean(scores) if scores else 0.0, median=statistics.median(scores) if scores else 0.0,
        full=sum(1 for g in graded if g.max_score > 0 and g.score == g.max_score),
        zero=sum(1 for g in graded if g.score == 0), histogram=plots.score_histogram(scores, max_score),
        checks=_pass_rates(graded), limited=_limited(graded), missing=missing,
        seed=graded[0].seed if graded else None)


def write_report(graded: list[GradedSubmission], assignment: str, out: Path) -> Path:
    path = out / "report.html"
    path.write_text(class_page(graded, assignment), encoding="utf-8")
    return path
