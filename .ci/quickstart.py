"""Print command N (1 or 2) of the README's Quickstart block, so CI runs exactly what users run."""
import re
import sys
from pathlib import Path

text = Path(__file__).resolve().parents[1].joinpath("README.md").read_text(encoding="utf-8")
section = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
block = re.search(r"```[^\n]*\n(.*?)```", section, re.S).group(1)
commands = [line for line in block.splitlines() if line.strip()]
if len(commands) != 2:
    sys.exit(f"README.md: the Quickstart block must hold exactly two commands, found {len(commands)}")
print(commands[int(sys.argv[1]) - 1])
