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
