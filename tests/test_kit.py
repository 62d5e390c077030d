"""Does each kit keep its own reference and checks, even with two kits in one process?"""
import shutil

from autograder.kit import Kit
from corpus_support import KIT


def test_two_kits_in_one_process_each_get_their_own_reference(tmp_path):
    other = tmp_path / "kit"
    for part in ("solutions", "tests/graded"):
        shutil.copytree(KIT / part, other / part)
    shutil.copyfile(KIT / "grading.toml", other / "grading.toml")
    solution = other / "solutions" / "linear_regression" / "linear_regression.py"
    solution.write_text(solution.read_text() + "\nWHICH_KIT = 'the other one'\n")
    first, second = Kit(KIT).reference("linear_regression"), Kit(other).reference("linear_regression")
    assert first is not second
    assert not hasattr(first, "WHICH_KIT") and second.WHICH_KIT == "the other one"
    assert Kit(KIT).reference("linear_regression") is first  # and each is imported once


def test_a_runs_log_goes_to_its_own_file_and_is_closed_after(tmp_path):
    import logging

    from autograder.grade.run_log import logging_to
    logger = logging.getLogger("autograder")
    before = list(logger.handlers)
    for run in ("first", "second"):
        with logging_to(tmp_path / f"{run}.log"):
            logger.info("grading the %s class", run)
        assert logger.handlers == before
    assert "second" not in (tmp_path / "first.log").read_text() and "first" not in (tmp_path / "second.log").read_text()
    assert "grading the second class" in (tmp_path / "second.log").read_text()


def test_the_sandbox_finds_the_package_from_where_its_modules_live():
    """The template is started with the folder holding the package on its path (the Gradescope
    bundle's venv does not install the kit), and Landlock lets the student process read the
    package itself, not the kit around it."""
    from pathlib import Path

    from autograder.sandbox.grader_side import forker
    from autograder.sandbox.student_side import confine
    assert (Path(forker._PACKAGE_PARENT) / "autograder" / "__init__.py").is_file()
    package = Path(confine.__file__).resolve().parents[2]
    assert package.name == "autograder" and (package / "__init__.py").is_file()
    assert 'paths.add(str(Path(__file__).resolve().parents[2]))' in Path(confine.__file__).read_text()
