"""Adding an assignment touches the files the README names, and nothing else: the reference (its
manifest), the public checks, the graded checks, grading.toml and the README's row; then
`autograder release` writes the students' folder. Done here for real, in a copy of the kit."""
import filecmp
import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from corpus_support import KIT

pytestmark = pytest.mark.slow

SOLUTION = '''\
"""A dot product from scratch (a toy assignment added by the kit's tests)."""
import torch


def dot(x, y):
    """The dot product of two 1-D tensors of the same length, as a 0-d tensor."""
    ### BEGIN SOLUTION
    return (x * y).sum()
    ### END SOLUTION
'''

PUBLIC = '''\
"""Public checks for toy_dot.py: run `pytest` in this folder."""
import torch

from diagnose import expect_close
from toy_dot import dot


def test_dot_by_hand():
    expect_close(dot(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])), torch.tensor(11.0), "dot([1, 2], [3, 4])")
'''

GRADED = '''\
"""Graded checks for toy_dot.py."""
from autograder.checks import fail, graded
from autograder.checks.helpers import close, expect_tensor


@graded("dot")
def test_dot_values(student, ref, ctx):
    """dot(x, y) is the sum of the products."""
    x, y = ctx.randn(7, salt="x"), ctx.randn(7, salt="y")
    got = expect_tensor(student.dot(x, y), "dot(x, y)", "a 0-d tensor")
    if not close(got, ref.dot(x, y)):
        fail("dot(x, y) is not the sum of x * y.", "Multiply entry by entry, then sum.")
'''

CONFIG = '''
[assignments.toy_dot]
forbidden_calls = ["torch.dot"]

[assignments.toy_dot.points]
dot_values = 3
'''


def _tree(root):
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_a_new_assignment_takes_five_files_and_a_release(tmp_path):
    kit = tmp_path / "kit"
    for part in ("solutions", "assignments", "tests/graded"):
        shutil.copytree(KIT / part, kit / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("grading.toml", "README.md"):
        shutil.copyfile(KIT / part, kit / part)
    before = _tree(kit)
    pristine = tmp_path / "pristine"
    shutil.copytree(kit, pristine)

    (kit / "solutions" / "toy_dot").mkdir()
    (kit / "solutions" / "toy_dot" / "toy_dot.py").write_text(SOLUTION)
    (kit / "solutions" / "toy_dot" / "test_toy_dot.py").write_text(PUBLIC)
    (kit / "tests" / "graded" / "test_toy_dot.py").write_text(GRADED)
    with open(kit / "grading.toml", "a") as config:
        config.write(CONFIG)
    with open(kit / "README.md", "a") as readme:
        readme.write("\n| `toy_dot` | `toy_dot.py` | `dot` | a dot product | 3 |\n")
    run = [sys.executable, "-m", "autograder"]
    released = subprocess.run(run + ["release", "--kit", str(kit), "toy_dot"], capture_output=True, text=True, timeout=300)
    assert released.returncode == 0, released.stderr

    after = _tree(kit)
    edited = {p for p in before if not filecmp.cmp(kit / p, pristine / p, shallow=False)}
    added = after - before
    hand_written = {"solutions/toy_dot/toy_dot.py", "solutions/toy_dot/test_toy_dot.py", "tests/graded/test_toy_dot.py"}
    assert edited == {"grading.toml", "README.md"}
    assert hand_written <= added
    generated = added - hand_written
    assert generated and all(p.startswith("assignments/toy_dot/") for p in generated), sorted(generated)
    stub = (kit / "assignments" / "toy_dot" / "toy_dot.py").read_text()
    assert "NotImplementedError" in stub and "(x * y).sum()" not in stub

    # The students' folder works as it stands: the public check fails on the stub, saying so.
    students = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly"], cwd=kit / "assignments" / "toy_dot",
                              capture_output=True, text=True, timeout=300)
    assert students.returncode == 1 and "fill in this function" in students.stdout, students.stdout[-2000:]

    # And it grades: a right answer gets the points, a wrong one and a ready-made call get none.
    answers = {"right": "    return sum(a * b for a, b in zip(x, y))\n", "wrong": "    return (x + y).sum()\n",
               "ready_made": "    return torch.dot(x, y)\n"}
    subs = tmp_path / "subs"
    for student, body in answers.items():
        (subs / student).mkdir(parents=True)
        (subs / student / "toy_dot.py").write_text(stub.replace(
            '    raise NotImplementedError', body + '    raise NotImplementedError', 1))
    graded = subprocess.run(run + ["grade", "toy_dot", str(subs), "--kit", str(kit), "--out", str(tmp_path / "out"),
                                   "--quiet"], capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0, graded.stderr
    scores = {s: json.loads((tmp_path / "out" / "students" / s / "results.json").read_text())["score"] for s in answers}
    assert scores == {"right": 3, "wrong": 0, "ready_made": 0}, textwrap.shorten(str(scores), 200)
