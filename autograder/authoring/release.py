"""``autograder release``: make the student files in assignments/ from solutions/.

Each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` region (nbgrader's markers) becomes
``raise NotImplementedError(...)`` at the region's indentation, and ``<name>.ipynb`` is made
from the resulting ``<name>.py`` (notebook_release.py). Everything else in
``solutions/<name>/`` is copied as is, and so is ``solutions/_common/`` (the students'
pytest settings, the same for every assignment), and the engine's files the students' side runs:
``checks/diagnose.py`` (the explanations of mistakes that the public and the graded checks share),
``checks/student_support.py`` (their file run statement by statement, as the grader runs it, what
a failed check says, and d2l's names where d2l is not installed, with no solution code) and
``sandbox/pieces.py``. The notebook embeds what its checks need in its first cell, so that it
needs no file beside it.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.kit import Kit
from autograder.authoring.notebooks import self_checks, student_notebook
from autograder.authoring.rules import rule, with_rules

BEGIN = re.compile(r"^(\s*)### BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
DEF = re.compile(r"^\s*def (\w+)\(")
SKIP = ("__pycache__", ".pytest_cache")


class ReleaseError(Exception):
    """A solution file whose markers do not pair up; the message names file and line."""


@dataclass(frozen=True)
class Released:
    files: dict
    """Relative path -> text of each file the assignment folder should hold."""
    solution_lines: frozenset
    """The stripped lines inside solution regions (none may reach the students)."""


def strip_solutions(text: str, filename: str) -> tuple[str, set[str]]:
    out, hidden, region, current = [], set(), None, "this function"
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        if region is None:
            match = DEF.match(line)
            if match:
                current = match.group(1)
            begin = BEGIN.match(line)
            if begin:
                region = number
                out.append(f'{begin.group(1)}raise NotImplementedError("{current}: not implemented yet")\n')
                continue
            if END.match(line):
                raise ReleaseError(f"{filename}:{number}: END SOLUTION without a BEGIN SOLUTION")
            out.append(line)
        elif END.match(line):
            region = None
        elif BEGIN.match(line):
            raise ReleaseError(f"{filename}:{number}: BEGIN SOLUTION inside the region opened at line {region}")
        else:
            hidden.add(line.strip())
    if region is not None:
        raise ReleaseError(f"{filename}:{region}: BEGIN SOLUTION is never closed")
    return "".join(out), hidden


COMMON = "_common"


# What the students' side shares with the grader, released beside the public checks: taken from the
# engine itself, so that a kit folder apart from the installed package releases too.
_ENGINE = Path(__file__).resolve().parents[1]
SHARED = (_ENGINE / "checks" / "diagnose.py", _ENGINE / "checks" / "student_support.py",
          _ENGINE / "sandbox" / "pieces.py")
SUPPORT = "student_support.py"


def _sources(kit: Kit, assignment: str):
    """(relative path, file) of everything released, the assignment's own files winning."""
    chosen = {Path(path.name): path for path in SHARED}
    for folder in (kit.root / "solutions" / COMMON, kit.root / "solutions" / assignment):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            chosen[path.relative_to(folder)] = path
    return sorted(chosen.items())


def d2l_solutions(kit: Kit, assignment: str) -> tuple[str, ...]:
    """The d2l members whose use the grader charges (the forbidden d2l names of grading.toml)."""
    from autograder.config import load_config
    names = load_config(kit.config_path).forbidden(assignment)
    return tuple(sorted({n.split(".", 1)[1] for n in names if n.startswith("d2l.") and n.count(".") == 1}))


def rules_of(kit: Kit, assignment: str) -> dict[str, str]:
    """What each function students write may use, as its docstring says it (authoring/rules.py)."""
    from autograder.config import load_config
    from autograder.manifest import read_manifest
    config = load_config(kit.config_path)
    return {fn: rule(config, assignment, fn) for fn in read_manifest(kit, assignment).functions}


def build(kit: Kit, assignment: str) -> Released:
    files, hidden = {}, set()
    main = f"{assignment}.py"
    for rel, path in _sources(kit, assignment):
        if path.is_dir() or any(part in SKIP for part in rel.parts) or path.suffix == ".pyc":
            continue
        text = path.read_text(encoding="utf-8")
        if str(rel) == main:
            text = with_rules(text, rules_of(kit, assignment))
        if str(rel) == SUPPORT:
            text = text.replace("D2L_SOLUTIONS: tuple = ()", f"D2L_SOLUTIONS: tuple = {d2l_solutions(kit, assignment)!r}", 1)
        if path.suffix == ".py":
            text, lines = strip_solutions(text, str(path))
            hidden |= lines
        files[str(rel)] = text
    if main in files:
        files[f"{assignment}.ipynb"] = student_notebook(files[main], assignment, self_checks(files, assignment))
    return Released(files, frozenset(line for line in hidden if line))


def write(kit: Kit, assignment: str) -> Path:
    target = kit.root / "assignments" / assignment
    released = build(kit, assignment)
    if target.exists():
        shutil.rmtree(target)
    for rel, text in released.files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


def drift(kit: Kit, assignment: str) -> list[str]:
    """Differences between assignments/<name>/ and what release would write."""
    target = kit.root / "assignments" / assignment
    expected = build(kit, assignment).files
    actual = {str(p.relative_to(target)): p for p in target.rglob("*")
              if p.is_file() and not any(part in SKIP for part in p.relative_to(target).parts)
              and p.suffix != ".pyc"} if target.is_dir() else {}
    problems = [f"{target / rel}: missing" for rel in expected if rel not in actual]
    problems += [f"{target / rel}: not made from solutions/" for rel in actual if rel not in expected]
    problems += [f"{target / rel}: differs from what solutions/ gives" for rel in expected
                 if rel in actual and actual[rel].read_text(encoding="utf-8") != expected[rel]]
    return problems
