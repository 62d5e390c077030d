"""The graded checks' harness is the engine's pytest plugin (autograder/checks/pytest_plugin.py):
``pytest tests/graded`` checks the reference, ``pytest tests/graded --submission FILE`` grades a
student's file as ``autograder grade`` does. Its hooks and fixtures are imported here, since pytest
takes ``pytest_plugins`` only from the top-level conftest."""
from autograder.checks.pytest_plugin import (ctx, device, kit, pytest_addoption,  # noqa: F401
                                             pytest_collection_modifyitems, pytest_runtest_call, ref, runs, session,
                                             static_reading, student)
