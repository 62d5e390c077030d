"""Grading: the pipeline and its stages, one module each.

    submission (discover) -> canary -> judge -> scoring -> feedback, run by pipeline (typed results
    in and out, no files written); command wraps it for ``autograder grade`` and Gradescope, and the
    report writers (report/) and the integrations (integrations/) take the scored results.

``main`` and ``grade_one`` load the command on first use, so that a stage (scoring, say) can be
imported on its own without it.
"""

_COMMAND = ("GradeReport", "grade_one", "main")


def __getattr__(name):
    if name in _COMMAND:
        from autograder.grade import command
        return getattr(command, name)
    raise AttributeError(f"module 'autograder.grade' has no attribute {name!r}")
