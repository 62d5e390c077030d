"""Gradescope: the autograder bundle (``autograder gradescope``) and what runs inside it.

Gradescope unpacks the bundle into ``/autograder/source``, runs ``setup.sh`` once to build the
image, then, for each submission, runs ``run_autograder``, which calls ``autograder
gradescope-run`` here: the student's files are in ``/autograder/submission`` and the results
go to ``/autograder/results/results.json``. ``AUTOGRADER_ROOT`` moves ``/autograder``
elsewhere, so that the kit's tests can run a built bundle on sample submissions.

The bundle holds the engine, grading.toml, the one assignment's reference and hidden checks,
and a requirements file pinned to the versions installed where the bundle was built.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from importlib import metadata
from pathlib import Path

from autograder.kit import Kit

ROOT_VARIABLE = "AUTOGRADER_ROOT"
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
# What grading needs at run time (nbgrader and the test tools stay out of the image).
RUNTIME = ("torch", "numpy", "pydantic", "jinja2", "matplotlib", "nbformat", "scikit-learn")

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, to build the grading image.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v python3 >/dev/null || ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    apt-get update
    apt-get install -y python3 python3-venv python3-pip
fi
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "setup.sh: the kit needs Python 3.11 or newer: choose Gradescope's Ubuntu 24.04 base image" >&2
    exit 1
}
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
# Pinned: the same versions as where this bundle was built. torch comes as the CPU build.
/autograder/venv/bin/python -m pip install -r requirements.txt
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission. AUTOGRADER_ROOT moves /autograder (for tests).
set -uo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
python="$root/venv/bin/python"
[ -x "$python" ] || python="$(command -v python3)"
cd "$root/source/kit" || exit 1
exec "$python" -m autograder gradescope-run @ASSIGNMENT@ --root "$root"
"""


class BundleError(Exception):
    """The bundle cannot be built; the message says why."""


# ---------------------------------------------------------------- building the bundle
def _kit_files(kit: Kit, assignment: str) -> list[tuple[Path, str]]:
    """(file, path inside kit/) of everything the bundle's kit needs."""
    chosen = [kit.config_path, kit.root / "pyproject.toml", kit.checks_file(assignment),
              kit.root / "tests" / "graded" / "conftest.py"]
    chosen += [p for p in (kit.root / "autograder").rglob("*") if p.is_file()]
    for folder in ("_common", assignment):
        chosen += [p for p in (kit.root / "solutions" / folder).rglob("*") if p.is_file()]
    keep = [p for p in chosen if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return sorted((p, str(p.relative_to(kit.root))) for p in keep)


def _closure(names) -> dict[str, str]:
    """The installed version of each package and everything it requires (extras left out)."""
    from packaging.requirements import Requirement
    versions: dict[str, str] = {}
    queue = list(names)
    while queue:
        name = queue.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in versions:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise BundleError(f"{name} is not installed here; install the kit first "
                              "(pip install -e .)") from None
        versions[key] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                queue.append(req.name)
    return versions


def requirements() -> str:
    pins = _closure(RUNTIME)
    lines = [f"--extra-index-url {TORCH_INDEX}"]
    lines += [f"{name}=={version}" for name, version in sorted(pins.items())]
    return "\n".join(lines) + "\n"


def build(kit: Kit, assignment: str, out: Path) -> Path:
    """Write Gradescope's autograder zip for one assignment."""
    kit.require(assignment)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER.replace("@ASSIGNMENT@", assignment)),
                           ("requirements.txt", requirements())):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16
            bundle.writestr(info, text)
        for path, rel in _kit_files(kit, assignment):
            bundle.write(path, f"kit/{rel}")
    return out


# ---------------------------------------------------------------- inside the container
def _find(submission: Path, assignment: str) -> tuple[list[Path], list[str]]:
    """The student's files (the shallowest NAME.py and NAME.ipynb, wherever they put them in their
    upload), and what the upload held. Which of the two is graded is decided as `autograder grade`
    decides it (submission.py: the one that differs from the released stub)."""
    files = sorted(p for p in submission.rglob("*") if p.is_file()) if submission.is_dir() else []
    found = []
    for suffix in (".py", ".ipynb"):
        matches = [p for p in files if p.name == f"{assignment}{suffix}"]
        if matches:
            found.append(min(matches, key=lambda p: len(p.parts)))
    return found, ([] if found else [str(p.relative_to(submission)) for p in files])


def _student(root: Path) -> str:
    try:
        users = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8")).get("users") or []
        name = (users[0].get("name") or users[0].get("email") or "").strip()
    except (OSError, ValueError, AttributeError, IndexError):
        name = ""
    return re.sub(r"[^\w.@-]+", "_", name) or "student"


def _failure(message: str) -> dict:
    return {"score": 0.0, "output": message, "tests": [], "stdout_visibility": "hidden"}


def run(assignment: str, root: Path) -> int:
    """Grade ``root/submission`` and write ``root/results/results.json``.

    It writes results.json for every submission, whatever the student's code does. The one
    exception is a broken container: when the reference itself does not get full marks (the
    canary), it writes no results, prints why, and exits 2, so that Gradescope reports a failed
    autograder instead of recording a grade that came out of a broken environment.
    """
    from autograder.grade import main as grade
    from autograder.grade.canary import CanaryFailed
    started = time.monotonic()
    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    try:
        found, listing = _find(root / "submission", assignment)
        if not found:
            held = ", ".join(listing[:10]) or "nothing"
            result = _failure(f"No {assignment}.py or {assignment}.ipynb was found in your upload "
                              f"(it held: {held}). Upload the file with exactly this name.")
        else:
            with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
                student = _student(root)
                folder = Path(tmp) / "submissions" / student
                folder.mkdir(parents=True)
                for path in found:
                    shutil.copyfile(path, folder / path.name)
                grade(submissions=folder.parent, assignment=assignment, out=Path(tmp) / "out",
                      workers=1, quiet=True)
                result = json.loads((Path(tmp) / "out" / student / "results.json").read_text(encoding="utf-8"))
                result["stdout_visibility"] = "hidden"
    except CanaryFailed as exc:
        print(f"autograder: error: {exc}", flush=True)
        return 2
    except Exception:  # noqa: BLE001 - Gradescope must always get a results.json
        detail = traceback.format_exc(limit=3)
        print(detail, file=sys.stderr)
        result = _failure("The autograder itself failed on this submission; this is not a grade. "
                          "Your instructor can see the details in the autograder output.")
    result["execution_time"] = round(time.monotonic() - started, 3)
    (results_dir / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    return 0


def root_from(explicit: str | None) -> Path:
    return Path(explicit or os.environ.get(ROOT_VARIABLE) or "/autograder")
