"""What an assignment asks for, read from its one source, the reference in solutions/<name>/:

* its functions: the ones students write, each holding a ``### BEGIN SOLUTION`` region (the same
  regions `autograder release` turns into stubs);
* its helpers: the other public functions, handed out complete (softmax_training gives softmax).

The graded checks are held to it when they load: each check's tags must be among the functions
(a mistyped tag would silently take a check out of forbidden-call zeroing), and each function
must have a check.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from autograder.kit import Kit, KitError

SOLUTION_MARKER = "### BEGIN SOLUTION"


@dataclass(frozen=True)
class Manifest:
    assignment: str
    functions: tuple[str, ...]
    """The functions students write, in the file's order."""
    helpers: tuple[str, ...]
    """The public functions the assignment hands out complete."""


def read_manifest(kit: Kit, assignment: str) -> Manifest:
    path = kit.solution_file(assignment)
    source = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise KitError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    functions, helpers = [], []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        body = ast.get_source_segment(source, node) or ""
        (functions if SOLUTION_MARKER in body else helpers).append(node.name)
    if not functions:
        raise KitError(f"{path}: no function holds a '{SOLUTION_MARKER}' region, so students have nothing to write")
    return Manifest(assignment, tuple(functions), tuple(helpers))


def check_against(manifest: Manifest, checks, checks_file: Path) -> None:
    """KitError naming the check and the tag, or the function, when the checks and the
    manifest disagree."""
    known = set(manifest.functions)
    for check in checks:
        unknown = [tag for tag in check.tags if tag not in known]
        if unknown:
            raise KitError(f"{checks_file}: check '{check.id}' is tagged {unknown[0]!r}, which is not a function "
                           f"students write in {manifest.assignment} (those are: {', '.join(manifest.functions)})")
    unchecked = [fn for fn in manifest.functions if not any(fn in check.tags for check in checks)]
    if unchecked:
        raise KitError(f"{checks_file}: no graded check is tagged {unchecked[0]!r}, a function students write in "
                       f"{manifest.assignment}; its mistakes would cost nothing")
