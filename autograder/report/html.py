"""OUT/students/<student>/feedback.html and OUT/report.html: self-contained pages (inline CSS and images)."""
from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import jinja2

from autograder.report import plots
from autograder.report.layout import student_folder
from autograder.grade.scoring import GradedSubmission, owner
from autograder.report.whole_file import WHOLE_FILE_KINDS, did_not_run, under_banner

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


def _pass_rates(graded: list[GradedSubmission]) -> list[dict]:
    """Each check's pass rate over the files that ran, least passed first (advisory checks last),
    with its three most frequent causes of failure."""
    rows: dict[str, dict] = {}
    for g in graded:
        if did_not_run(g):
            continue
        for c in g.checks:
            row = rows.setdefault(c.name, {"name": c.name, "title": c.title, "tags": c.tags, "passed": 0,
                                           "total": 0, "causes": Counter(), "advisory": c.max_score == 0})
            row["total"] += 1
            if c.status == "passed":
                row["passed"] += 1
            elif c.kind not in _NOT_A_MISCONCEPTION:
                row["causes"][_cause(c)] += 1
    out = []
    for row in rows.values():
        causes = row.pop("causes")
        top = sorted(causes.items(), key=lambda item: (-item[1], item[0]))[:3]
        out.append({**row, "rate": row["passed"] / row["total"], "causes": top})
    return sorted(out, key=lambda r: (r["advisory"], r["rate"], r["name"]))


def _not_run(graded: list[GradedSubmission]) -> list[dict]:
    problems = ((g.student, did_not_run(g)) for g in sorted(graded, key=lambda g: g.student))
    return [{"student": student, "why": why.strip().splitlines()[0]} for student, why in problems if why]


def _grid(graded: list[GradedSubmission]) -> tuple[list[str], list[dict]]:
    """Student × function: the points of each function's own checks (see scoring.owner)."""
    owners = {g.student: [(owner(c, g.checks), c) for c in g.checks if c.max_score > 0] for g in graded}
    functions = list(dict.fromkeys(owner for pairs in owners.values() for owner, _ in pairs if owner))
    rows = []
    for g in sorted(graded, key=lambda g: g.student):
        cells = []
        for fn in functions:
            mine = [c for owner, c in owners[g.student] if owner == fn]
            earned, possible = sum(c.score for c in mine), sum(c.max_score for c in mine)
            cells.append({"earned": earned, "possible": possible,
                          "level": "full" if earned == possible else "none" if earned == 0 else "part"})
        rows.append({"student": g.student, "cells": cells})
    return functions, rows


# Whole-file problems say nothing about what a student misunderstood of one check.
_NOT_A_MISCONCEPTION = WHOLE_FILE_KINDS | {"not_implemented", "internal"}


def _cause(check) -> str:
    if check.kind == "forbidden":
        return "calls the framework's ready-made version instead of building it"
    if check.kind == "tampering":
        return "uses tools that reach into the grader (sent to an instructor's review)"
    if check.hint:
        return check.hint
    return check.message.strip().splitlines()[0] if check.message.strip() else "no detail"


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
        seed=graded[0].seed if graded else None, not_run=_not_run(graded), grid=_grid(graded),
        review=review_list(graded))


def write_report(graded: list[GradedSubmission], assignment: str, out: Path) -> Path:
    path = out / "report.html"
    path.write_text(class_page(graded, assignment), encoding="utf-8")
    return path
