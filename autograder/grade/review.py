"""``autograder review``: the instructor's side of a flag.

The grader gives no points to a function for what it used (a tool that reaches into the grader, an
operation outside its rules), and lists it in report.html as sent to review. An instructor who
has read the code and finds the flag wrong clears it: ``autograder review clear`` adds the decision
to grading.toml's ``[review]`` (with the file's digest, so that a resubmission is read again), and
the next grading grades that function normally; its results.json records who cleared it and why.
"""
from __future__ import annotations

import json
from pathlib import Path

from autograder.config import ConfigError, load_config
from autograder.report.layout import student_files, student_folder


def clear(config_path: Path, *, assignment: str, student: str, function: str = "*", digest: str = "",
          reason: str, by: str = "") -> str:
    """Add a clearance to ``config_path``; the text added. The file is read back, and left as it was
    when the result would not load."""
    if not reason.strip():
        raise ConfigError("review clear: --reason is required: say why the flag was wrong")
    if digest and (len(digest) < 12 or any(c not in "0123456789abcdef" for c in digest.lower())):
        raise ConfigError(f"review clear: --digest {digest!r} is not a hex digest of at least 12 characters "
                          "(results.json extra_data.digest)")
    entry = "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in (
        ("student", student), ("assignment", assignment), ("function", function), ("digest", digest.lower()),
        ("reason", reason.strip()), ("by", by)))
    block = f"\n[[review.clear]]\n{entry}"
    before = Path(config_path).read_text(encoding="utf-8")
    Path(config_path).write_text(before.rstrip("\n") + "\n" + block, encoding="utf-8")
    try:
        load_config(config_path)
    except ConfigError:
        Path(config_path).write_text(before, encoding="utf-8")
        raise
    return block


def digest_from(out: Path, student: str) -> str:
    """The digest of the file a graded output folder graded for ``student``."""
    path = student_folder(out, student) / "results.json"
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["extra_data"]["digest"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: no digest to clear against ({exc})") from None


def listed(out: Path) -> list[dict]:
    """The review list of a graded output folder, read from its results.json files."""
    rows = []
    for path in student_files(out, "results.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            usage = data["extra_data"].get("usage", {})
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for function, verdict in sorted(usage.items()):
            rows.append({"student": path.parent.name, "function": function, "flags": verdict.get("flags", []),
                         "cleared": verdict.get("cleared"), "digest": data["extra_data"].get("digest", "")})
    return rows
