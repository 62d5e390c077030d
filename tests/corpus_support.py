"""Reading the corpus of submissions in tests/corpus/<assignment>/.

Each file starts with comment lines saying what should happen:
  # expect: full | zero | fail <function>[, <function>] | full or fail <function>[, ...]
  #                       (the last for files whose path depends on timing they measure themselves:
  #                        either nothing is lost, or only the functions named lose points)
  # whole-file            (use the file as it is; otherwise it is appended to the reference,
  #                        so that its functions replace the reference's and nothing else changes)
  # remove: <function>    (delete that function from the submission)
  # says: <text>          (the feedback must contain this text, in a check or in the notes)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
KIT = Path(__file__).resolve().parents[1]


def kit_assignments() -> list[str]:
    """Every assignment in the kit (solutions/<name>/<name>.py): tests parametrised by it need no
    edit when an assignment is added."""
    return sorted(p.parent.name for p in (KIT / "solutions").glob("*/*.py") if p.stem == p.parent.name)


@dataclass(frozen=True)
class Scenario:
    assignment: str
    name: str
    path: Path
    expect: str
    """full, zero, fail, or "either" (full or fail)."""
    at_fault: frozenset
    whole_file: bool
    remove: tuple
    says: tuple = ()

    @property
    def reference_assignment(self) -> str:
        """The assignment whose reference the scenario is spliced into (hostile files use linear_regression)."""
        return "linear_regression" if self.assignment.startswith("hostile") else self.assignment

    def source(self) -> str:
        text = self.path.read_text(encoding="utf-8")
        if self.whole_file:
            return text
        name = self.reference_assignment
        reference = (KIT / "solutions" / name / f"{name}.py").read_text(encoding="utf-8")
        removals = "".join(f"\ndel {name}\n" for name in self.remove)
        return f"{reference}\n\n# ---- scenario {self.name} ----\n{text}\n{removals}"


def scenarios(assignment: str) -> list[Scenario]:
    out = []
    for path in sorted((CORPUS / assignment).glob("*.py")):
        header = path.read_text(encoding="utf-8")
        match = re.search(r"^# expect: (full|zero|fail (.+)|full or fail (.+))$", header, re.M)
        if not match:
            raise ValueError(f"{path}: no '# expect:' line")
        expect = "either" if match.group(3) else match.group(1).split()[0]
        at_fault = frozenset(f.strip() for f in (match.group(2) or match.group(3) or "").split(",") if f.strip())
        remove = tuple(re.findall(r"^# remove: (\w+)$", header, re.M))
        says = tuple(re.findall(r"^# says: (.+)$", header, re.M))
        out.append(Scenario(assignment, path.stem, path, expect, at_fault,
                            bool(re.search(r"^# whole-file$", header, re.M)), remove, says))
    return out


def check_id(test: dict) -> str:
    """The kit's id of a check in results.json (the test's name there is its title)."""
    return test["extra_data"].get("check_id", test["name"])


def graded_tests(result: dict) -> list[dict]:
    return [t for t in result["tests"] if t["max_score"] > 0]


def expectation_problems(scenario: Scenario, result: dict) -> list[str]:
    """What is wrong with a scenario's grade, given its '# expect:' line (empty when right)."""
    failed = [t for t in graded_tests(result) if t["status"] == "failed"]
    summary = {check_id(t): t["output"].splitlines()[1:3] for t in failed}
    feedback = result.get("output", "") + "\n".join(t["output"] for t in result["tests"])
    unsaid = [f"the feedback never says {text!r}" for text in scenario.says if text not in feedback]
    if scenario.expect == "full":
        return ([f"a correct submission lost points: {summary}"] if failed else []) + unsaid
    if scenario.expect == "zero":
        return ([] if result["score"] == 0 else [f"expected zero, got {result['score']}"]) + unsaid
    problems = unsaid
    leaked = [check_id(t) for t in failed if not set(t["tags"]) & scenario.at_fault]
    if leaked:
        problems.append(f"points lost on functions not at fault: {leaked}: {summary}")
    if scenario.expect == "fail":
        problems += [f"no check of {fn} failed" for fn in scenario.at_fault
                     if not any(fn in t["tags"] for t in failed)]
    return problems
