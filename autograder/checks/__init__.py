"""The vocabulary graded checks are written in."""
from autograder.checks.api import CheckContext, CheckFailed, CheckSpec, fail, graded
from autograder.sandbox.grader_side.proxy import Each, OnePass

__all__ = ["CheckContext", "CheckFailed", "CheckSpec", "Each", "OnePass", "fail", "graded"]
