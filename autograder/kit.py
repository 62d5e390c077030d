"""Where the kit's parts live: the folder holding grading.toml, solutions/ and tests/graded/."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


class KitError(Exception):
    """The kit folder or one of its parts is missing."""


@dataclass(frozen=True)
class Kit:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "grading.toml"

    def solution_file(self, assignment: str) -> Path:
        return self.root / "solutions" / assignment / f"{assignment}.py"

    def checks_file(self, assignment: str) -> Path:
        return self.root / "tests" / "graded" / f"test_{assignment}.py"

    def assignments(self) -> list[str]:
        return sorted(p.parent.name for p in (self.root / "solutions").glob("*/*.py")
                      if p.stem == p.parent.name)

    def require(self, assignment: str) -> None:
        if not self.solution_file(assignment).is_file():
            known = ", ".join(self.assignments()) or "none"
            raise KitError(f"unknown assignment '{assignment}': no {self.solution_file(assignment)} "
                           f"(assignments in this kit: {known})")

    def reference(self, assignment: str) -> ModuleType:
        """The hidden reference solution, imported on the trusted side only."""
        return import_path(self.solution_file(assignment), f"_reference_{assignment}")


def import_path(path: Path, name: str) -> ModuleType:
    """The module at ``path``, imported once per file: the name is qualified by the file's own
    location, so that a second kit in one process never gets the first kit's reference."""
    resolved = Path(path).resolve()
    name = f"{name}_{hashlib.sha256(str(resolved).encode()).hexdigest()[:12]}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, resolved)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def find_kit(explicit: str | Path | None = None) -> Kit:
    """--kit, else $AUTOGRADER_KIT, else the nearest parent of the cwd with grading.toml
    and solutions/, else the checkout this package was installed from."""
    candidates = []
    if explicit:
        candidates.append(Path(explicit))
    elif os.environ.get("AUTOGRADER_KIT"):
        candidates.append(Path(os.environ["AUTOGRADER_KIT"]))
    else:
        cwd = Path.cwd().resolve()
        candidates += [cwd, *cwd.parents, Path(__file__).resolve().parents[1]]
    for root in candidates:
        if (root / "grading.toml").is_file() and (root / "solutions").is_dir():
            return Kit(root.resolve())
    where = candidates[0] if explicit or os.environ.get("AUTOGRADER_KIT") else "this folder or its parents"
    raise KitError(f"no kit found in {where}: a kit folder holds grading.toml and solutions/ "
                   "(pass --kit DIR)")
