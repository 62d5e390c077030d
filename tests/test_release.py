"""Are the student files in assignments/ exactly what solutions/ generates, and free of answers?"""
import ast
import importlib.util
import re
import shutil

import nbformat
import pytest

from autograder.checks.registry import load_checks
from autograder.kit import Kit, KitError
from autograder.manifest import read_manifest
from autograder.authoring.release import ReleaseError, build, drift, strip_solutions
from corpus_support import KIT, kit_assignments

ASSIGNMENTS = kit_assignments()


def _manifest(assignment):
    return read_manifest(Kit(KIT), assignment)


def test_the_manifest_reads_the_functions_and_the_helpers_from_the_reference():
    assert _manifest("linear_regression").functions == ("synthetic_data", "data_iter", "linreg", "squared_loss", "sgd")
    assert _manifest("softmax_training").helpers == ("softmax", "cross_entropy", "sgd")
    assert _manifest("softmax_regression").helpers == ()


def _kit_with_checks_edited(folder, edit):
    """A copy of the kit (a fresh path: checks are imported once per file) whose softmax_regression
    checks went through ``edit``."""
    shutil.copytree(KIT, folder, ignore=shutil.ignore_patterns("assignments", "demo", "corpus", "*.ipynb",
                                                               "__pycache__", ".git"))
    checks = folder / "tests" / "graded" / "test_softmax_regression.py"
    text = checks.read_text(encoding="utf-8")
    assert '@graded("cross_entropy"' in text
    checks.write_text(edit(text), encoding="utf-8")
    return Kit(folder)


def test_a_mistyped_tag_stops_the_kit_loading(tmp_path):
    kit = _kit_with_checks_edited(tmp_path / "kit", lambda t: t.replace('@graded("cross_entropy"',
                                                                        '@graded("cross_entropyy"', 1))
    with pytest.raises(KitError, match=r"tagged 'cross_entropyy', which is not a function students write"):
        load_checks(kit, "softmax_regression")


def test_a_function_without_a_check_stops_the_kit_loading(tmp_path):
    kit = _kit_with_checks_edited(tmp_path / "kit", lambda t: re.sub(r'@graded\("cross_entropy"', '@graded("softmax"', t))
    with pytest.raises(KitError, match=r"no graded check is tagged 'cross_entropy'"):
        load_checks(kit, "softmax_regression")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignments_folder_has_not_drifted(assignment):
    assert drift(Kit(KIT), assignment) == [], "run `autograder release` and commit the result"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_solution_line_reaches_students(assignment):
    released = build(Kit(KIT), assignment)
    assert released.solution_lines, "the reference should mark its solution regions"
    folder = KIT / "assignments" / assignment
    for path in [*folder.rglob("*.py"), *folder.rglob("*.ipynb")]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":  # the cells' text, not its JSON escaping
            text = "\n".join(cell.source for cell in nbformat.reads(text, as_version=4).cells)
        lines = {line.strip() for line in text.splitlines()}
        leaked = lines & released.solution_lines
        assert not leaked, f"{path} contains solution lines: {sorted(leaked)}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stub_keeps_exactly_the_contract_and_each_raises_not_implemented(assignment, tmp_path):
    path = KIT / "assignments" / assignment / f"{assignment}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    manifest = _manifest(assignment)
    assert functions == set(manifest.functions) | set(manifest.helpers)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in manifest.functions:
            doc = ast.get_docstring(node) or ""
            contract = "Args:" in doc or (not node.args.args and "Returns:" in doc)
            assert contract, f"{node.name} needs a docstring with the contract (Args:, or Returns: if it takes none)"
    spec = importlib.util.spec_from_file_location(f"stub_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in manifest.functions:
        fn = getattr(module, name)
        with pytest.raises(NotImplementedError, match=f"{name}: not implemented yet"):
            fn(*[None] * fn.__code__.co_argcount)


def test_unclosed_region_names_file_and_line():
    with pytest.raises(ReleaseError, match=r"sol\.py:2: BEGIN SOLUTION is never closed"):
        strip_solutions("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "sol.py")


def test_end_without_begin_names_file_and_line():
    with pytest.raises(ReleaseError, match=r"sol\.py:2: END SOLUTION without"):
        strip_solutions("def f():\n    ### END SOLUTION\n", "sol.py")


def test_region_becomes_a_named_stub_at_its_indentation():
    text, hidden = strip_solutions(
        "def g(x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n", "s.py")
    assert text == 'def g(x):\n    """Doc."""\n    raise NotImplementedError("g: not implemented yet")\n'
    assert hidden == {"return x + 1"}


class _NoReference:
    """Stands in for the reference solution: any use of it fails the check that made it."""

    def __getattr__(self, name):
        raise AssertionError(f"used the reference's {name}")


@pytest.mark.parametrize("assignment", Kit(KIT).assignments())
def test_public_checks_never_consult_the_reference(tmp_path, assignment):
    """A check shown to students before grades are published must not compare with the reference:
    each public check is run, on the reference's file as the submission, with no reference at all."""
    from autograder.checks.api import CheckContext, CheckFailed
    from autograder.checks.registry import load_checks
    from autograder.config import load_config
    from autograder.grade.judge import open_student
    from autograder.seeds import derive_seed
    import torch
    kit = Kit(KIT)
    public = [c for c in load_checks(kit, assignment) if c.public]
    copy = tmp_path / f"{assignment}.py"
    copy.write_bytes(kit.solution_file(assignment).read_bytes())
    session = open_student(load_config(kit.config_path), assignment, copy, "cpu")
    try:
        for check in public:
            seed = derive_seed(0, assignment, check.seed_key, "cpu")
            session.begin_check(seed)
            try:
                check.func(session.functions, _NoReference(), CheckContext(torch.device("cpu"), seed, session=session))
            except CheckFailed:
                # Advisory checks go beyond the book, whose style the reference keeps.
                assert check.advisory, f"{check.id} fails the reference"
    finally:
        session.close()
