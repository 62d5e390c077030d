"""Grading: the pipeline and its stages, one module each.

    submission (discover) -> canary -> judge -> scoring -> feedback, run by pipeline; the
    report writers (report/) and the integrations (integrations/) take the scored results.

``main`` and ``grade_one`` load the pipeline on first use, so that a stage (scoring, say) can be
imported on its own without it.
"""

_PIPELINE = ("GradeReport", "grade_one", "main")


def __getattr__(name):
    if name in _PIPELINE:
        from autograder.grade import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module 'autograder.grade' has no attribute {name!r}")
