"""The table printed at the end of a grading run."""
from __future__ import annotations

from collections import Counter

from autograder.sandbox.errors import clean_text

from autograder.grade.scoring import GradedSubmission, owner

_PROBLEM_KINDS = ("syntax", "import", "timeout", "crash", "missing", "unreadable", "forbidden", "tampering", "not_implemented",
                  "internal")


def _at_fault(failed, checks) -> list[str]:
    """The functions to blame: those whose own checks failed; and for a failed check of several
    functions none of which failed its own, the function it is about (concise's train, whose
    runs use make_net and load_array), or else all of them."""
    single = {c.tags[0] for c in failed if len(c.tags) == 1}
    blamed = set(single)
    for c in failed:
        if len(c.tags) > 1 and not single & set(c.tags):
            fn = owner(c, checks)
            blamed |= {fn} if fn else set(c.tags)
    return sorted(blamed)


def summary_table(graded: list[GradedSubmission]) -> str:
    rows = [("student", "score", "checks that lost points", "problems")]
    for g in sorted(graded, key=lambda g: g.student):
        failed = [c for c in g.checks if c.status == "failed" and c.max_score > 0]
        kinds = Counter(c.kind for c in failed if c.kind in _PROBLEM_KINDS)
        problems = ", ".join(f"{k}×{n}" if n > 1 else k for k, n in kinds.items()) or "-"
        functions = _at_fault(failed, g.checks)
        rows.append((clean_text(g.student, 60), f"{g.score:g}/{g.max_score:g}",
                     f"{len(failed)}" + (f" ({', '.join(functions)})" if functions else ""), problems))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
