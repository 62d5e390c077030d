"""The vocabulary graded checks are written in."""
from autograder.checks.api import CheckContext, CheckFailed, CheckSpec, fail, graded

__all__ = ["CheckContext", "CheckFailed", "CheckSpec", "fail", "graded"]
