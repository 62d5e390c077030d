"""Does the README keep its promises about the Quickstart?"""
import subprocess
import sys

from corpus_support import KIT


def test_quickstart_block_holds_exactly_two_commands_that_ci_uses():
    first = subprocess.run([sys.executable, str(KIT / ".ci" / "quickstart.py"), "1"], capture_output=True, text=True)
    second = subprocess.run([sys.executable, str(KIT / ".ci" / "quickstart.py"), "2"], capture_output=True, text=True)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "autograder grade linear_regression demo/" in first.stdout and "pytest" in second.stdout
    assert "quickstart.py 2" in (KIT / ".ci" / "run").read_text()


def test_the_assignment_table_lists_every_assignment_with_its_points():
    """The README's table of assignments matches grading.toml (one device's points)."""
    import re

    from autograder.checks.registry import load_checks
    from autograder.config import load_config
    from autograder.kit import Kit
    kit = Kit(KIT)
    config = load_config(kit.config_path)
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| `\w+\.py` \|.*\| (\d+(?:\.\d+)?) \|$", readme, re.M))
    assert set(rows) == set(kit.assignments())
    for name in kit.assignments():
        total = sum(config.points_for(name, c.id, c.advisory) for c in load_checks(kit, name))
        assert float(rows[name]) == total, f"{name}: README says {rows[name]}, grading.toml gives {total:g}"
