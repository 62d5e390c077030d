"""Finding an assignment's graded checks, in the order they are written, held to its manifest."""
from __future__ import annotations

import inspect

from autograder.checks.api import CheckSpec
from autograder.kit import Kit, KitError, import_path
from autograder.manifest import check_against, read_manifest


def load_checks(kit: Kit, assignment: str) -> list[CheckSpec]:
    path = kit.checks_file(assignment)
    if not path.is_file():
        raise KitError(f"no graded checks for '{assignment}': {path} is missing")
    module = import_path(path, f"_graded_checks_{assignment}")
    specs = [f.__graded__ for f in vars(module).values() if hasattr(f, "__graded__")]
    specs.sort(key=lambda s: inspect.getsourcelines(s.func)[1])
    check_against(read_manifest(kit, assignment), specs, path)
    return specs
