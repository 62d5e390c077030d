"""The graded checks' harness is the engine's pytest plugin (autograder/checks/pytest_plugin.py):
``pytest tests/graded`` checks the reference, ``pytest tests/graded --submission FILE`` grades a
student's file as ``autograder grade`` does."""
pytest_plugins = ["autograder.checks.pytest_plugin"]
