"""Reading the corpus of submissions in tests/corpus/<assignment>/.

Each file starts with comment lines saying what should happen:
  # expect: full | zero | fail <function>[, <function>]
  # whole-file            (use the file as it is; otherwise it is appended to the reference,
  #                        so that its functions replace the reference's and nothing else changes)
  # remove: <function>    (delete that function from the submission)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
KIT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Scenario:
    assignment: str
    name: str
    path: Path
    expect: str
    """full, zero or fail."""
    at_fault: frozenset
    whole_file: bool
    remove: tuple

    def source(self) -> str:
        text = self.path.read_text(encoding="utf-8")
        if self.whole_file:
            return text
        reference = (KIT / "solutions" / self.assignment / f"{self.assignment}.py").read_text(encoding="utf-8")
        removals = "".join(f"\ndel {name}\n" for name in self.remove)
        return f"{reference}\n\n# ---- scenario {self.name} ----\n{text}\n{removals}"


def scenarios(assignment: str) -> list[Scenario]:
    out = []
    for path in sorted((CORPUS / assignment).glob("*.py")):
        header = path.read_text(encoding="utf-8")
        match = re.search(r"^# expect: (full|zero|fail (.+))$", header, re.M)
        if not match:
            raise ValueError(f"{path}: no '# expect:' line")
        expect = match.group(1).split()[0]
        at_fault = frozenset(f.strip() for f in (match.group(2) or "").split(",") if f.strip())
        remove = tuple(re.findall(r"^# remove: (\w+)$", header, re.M))
        out.append(Scenario(assignment, path.stem, path, expect, at_fault,
                            bool(re.search(r"^# whole-file$", header, re.M)), remove))
    return out
