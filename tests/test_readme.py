"""Does the README keep its promises about the Quickstart?"""
import subprocess
import sys

from corpus_support import KIT


def test_quickstart_block_holds_exactly_two_commands_that_ci_uses():
    first = subprocess.run([sys.executable, str(KIT / ".ci" / "quickstart.py"), "1"], capture_output=True, text=True)
    second = subprocess.run([sys.executable, str(KIT / ".ci" / "quickstart.py"), "2"], capture_output=True, text=True)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "autograder grade demo/" in first.stdout and "pytest" in second.stdout
    assert "quickstart.py 2" in (KIT / ".ci" / "run").read_text()
