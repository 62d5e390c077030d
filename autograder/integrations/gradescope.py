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
# Gradescope runs this once, as root, to build the grading image. AUTOGRADER_ROOT moves
# /autograder (for tests).
set -euo pipefail
cd "$(dirname "$0")"
want="@PYTHON@"  # the Python that requirements.txt was resolved for
root="${AUTOGRADER_ROOT:-/autograder}"
python=""
for candidate in "python$want" python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c "import sys; sys.exit('%d.%d' % sys.version_info[:2] != '$want')"; then
        python="$(command -v "$candidate")"
        break
    fi
done
# Ubuntu's python3 makes no virtualenv without python3-venv (ensurepip), whatever its version.
if [ -z "$python" ] || ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    if command -v apt-get >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update && { apt-get install -y python3 python3-venv python3-pip "python$want-venv" ||
                              apt-get install -y python3 python3-venv python3-pip; }; } ||
            echo "setup.sh: apt-get could not install Python; looking for one anyway" >&2
    fi
    python=""
    for candidate in "python$want" python3; do
        if command -v "$candidate" >/dev/null && "$candidate" -c "import sys; sys.exit('%d.%d' % sys.version_info[:2] != '$want')"; then
            python="$(command -v "$candidate")"
            break
        fi
    done
fi
if [ -z "$python" ]; then
    have="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)"
    echo "setup.sh: this bundle was built for Python $want, and this image has python3 $have." >&2
    echo "setup.sh: rebuild it for this image (autograder gradescope NAME --python $have), or choose" >&2
    echo "setup.sh: the base image with Python $want (Ubuntu 22.04: 3.10; Ubuntu 24.04: 3.12)." >&2
    exit 1
fi
"$python" -m venv "$root/venv"
"$root/venv/bin/python" -m pip install --upgrade pip
# Pinned to the versions resolved for Python $want when the bundle was built; torch is the CPU build.
"$root/venv/bin/python" -m pip install -r requirements.txt
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


def this_python() -> str:
    return "%d.%d" % sys.version_info[:2]


def _declared_ranges() -> list[str]:
    """The kit's own requirements on the runtime packages, as pyproject.toml declares them."""
    from packaging.requirements import Requirement
    wanted = {re.sub(r"[-_.]+", "-", n).lower() for n in RUNTIME} | {"tomli"}
    out = []
    for line in metadata.requires("d2l-ch3-autograder") or []:
        req = Requirement(line)
        if re.sub(r"[-_.]+", "-", req.name).lower() in wanted and "extra" not in str(req.marker or ""):
            out.append(line)
    return out


def _reachable(url: str) -> bool:
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=10):
            return True
    except (OSError, ValueError):
        return False


def _resolve_for(python: str) -> dict[str, str]:
    """Exact versions of the runtime packages for another Python, as pip would install them on
    Gradescope's Linux: pip's own resolver, reading the index's metadata (no wheel is installed).
    torch stays at the version installed here."""
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    # pip judges markers by the Python running it, not the target: they are judged here.
    target = {"python_version": python, "python_full_version": f"{python}.0", "extra": "",
              "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
              "os_name": "posix", "implementation_name": "cpython", "platform_python_implementation": "CPython"}

    def applies(line: str) -> Requirement | None:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate(target):
            return None
        req.marker = None
        return req

    torch_version = metadata.version("torch").split("+")[0]
    specs = [str(r) for r in map(applies, _declared_ranges()) if r and r.name.lower() != "torch"]
    specs.append(f"torch=={torch_version}")
    # pip before 24 can pick a release whose Requires-Python excludes the target (networkx 3.6 for
    # 3.10): each such pick is excluded and pip asked again. A dependency that only the target
    # needs (tomli on 3.10) is added and pip asked again.
    for _ in range(12):
        installed = _pip_resolve(python, specs)
        key = lambda name: re.sub(r"[-_.]+", "-", name).lower()
        have = {key(item["name"]) for item in installed}
        wrong = [(item["name"], item["version"], item["requires_python"]) for item in installed
                 if item["requires_python"] and not SpecifierSet(item["requires_python"]).contains(f"{python}.0")]
        missing = sorted({str(r) for item in installed for r in map(applies, item["requires_dist"])
                          if r and key(r.name) not in have})
        if not wrong and not missing:
            pins = {key(item["name"]): item["version"] for item in installed}
            # What only torch's CUDA build needs: with the CPU build (the extra index) none of it is installed.
            return {name: v for name, v in pins.items() if not name.startswith(("nvidia-", "cuda-")) and name != "triton"}
        specs += [f"{name}<{version}" for name, version, _ in wrong] + missing
    raise BundleError(f"could not find versions for Python {python}: pip keeps picking releases that need another "
                      f"Python ({', '.join(f'{n} {v} needs {r}' for n, v, r in wrong)}); upgrade pip and build again")


def _pip_resolve(python: str, specs: list[str]) -> list[dict]:
    import subprocess
    # Gradescope's images are x86_64 Linux with glibc 2.35 (Ubuntu 22.04) or newer.
    platforms = [f"--platform=manylinux_2_{minor}_x86_64" for minor in range(35, 4, -1)]
    platforms += ["--platform=manylinux2014_x86_64", "--platform=manylinux2010_x86_64",
                  "--platform=manylinux1_x86_64", "--platform=linux_x86_64"]
    # pip retries an unreachable index for every package (minutes): ask it only when it answers.
    index = ["--extra-index-url", TORCH_INDEX] if _reachable(TORCH_INDEX) else []
    with tempfile.TemporaryDirectory(prefix="gradescope-pins-") as tmp:
        report = Path(tmp) / "report.json"
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
                               "--only-binary=:all:", f"--python-version={python}", *platforms, "--retries", "2",
                               "--target", str(Path(tmp) / "target"), "--report", str(report), *index, *specs],
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0 or not report.is_file():
            detail = [line for line in (done.stderr or done.stdout).strip().splitlines()
                      if "is ignored: it is neither a file nor a directory" not in line][-3:]
            raise BundleError(f"could not resolve the kit's packages for Python {python} with pip (it needs the "
                              f"package index): {' '.join(detail) or 'no report'}")
        items = json.loads(report.read_text(encoding="utf-8")).get("install", [])
    return [{"name": i["metadata"]["name"], "version": i["metadata"]["version"],
             "requires_python": i["metadata"].get("requires_python"),
             "requires_dist": i["metadata"].get("requires_dist") or []} for i in items]


def requirements(python: str | None = None) -> str:
    """requirements.txt for the bundle: exact versions, for ``python`` (default: this one, whose
    installed versions are used as they are; another is resolved by pip, needing the index)."""
    pins = _closure(RUNTIME) if python in (None, this_python()) else _resolve_for(python)
    lines = [f"--extra-index-url {TORCH_INDEX}"]
    lines += [f"{name}=={version}" for name, version in sorted(pins.items())]
    return "\n".join(lines) + "\n"


def build(kit: Kit, assignment: str, out: Path, python: str | None = None) -> Path:
    """Write Gradescope's autograder zip for one assignment, for the image's ``python`` (X.Y;
    default: the Python running this)."""
    kit.require(assignment)
    python = python or this_python()
    if not re.fullmatch(r"3\.\d{1,2}", python):
        raise BundleError(f"--python {python}: give the image's Python as X.Y, e.g. 3.10")
    if tuple(map(int, python.split("."))) < (3, 10):
        raise BundleError(f"--python {python}: the kit needs Python 3.10 or newer")
    pinned = requirements(python)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in (("setup.sh", SETUP_SH.replace("@PYTHON@", python)),
                           ("run_autograder", RUN_AUTOGRADER.replace("@ASSIGNMENT@", assignment)),
                           ("requirements.txt", pinned)):
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
    # Regular files only: a link in the upload (to the kit's reference, say) is never followed
    # (read_regular refuses it again when the file is read).
    root = os.path.realpath(submission)
    files = sorted(p for p in submission.rglob("*") if p.is_file() and not p.is_symlink()
                   and os.path.realpath(p).startswith(root + os.sep)) if submission.is_dir() else []
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


def summary(result: dict, assignment: str, student: str, lines: int = 10) -> str:
    """One screen for the instructor (Gradescope's autograder output, which students do not see):
    the score, each check that lost points with its first line of feedback, and the notes."""
    tests = [t for t in result.get("tests", []) if t.get("max_score", 0) > 0]
    maximum = sum(t["max_score"] for t in tests)
    lost = [t for t in tests if t["score"] < t["max_score"]]
    out = [f"{assignment}: {student}: {result.get('score', 0):g}/{maximum:g}"
           + (f", {len(lost)} of {len(tests)} checks lost points" if tests else "")]
    notes = [line for line in result.get("output", "").splitlines() if line.strip()]
    if notes and notes[0].startswith("Your file did not run"):
        lost, notes = [], notes  # one problem, said once in the notes below
    for t in lost[:lines]:
        detail = next((line for line in t.get("output", "").splitlines()[1:] if line.strip()), "")
        out.append(f"  {t.get('number', '')} {t['name'][:70]}  ({t['score']:g}/{t['max_score']:g})")
        if detail:
            out.append(f"      {detail[:110]}")
    if len(lost) > lines:
        out.append(f"  … and {len(lost) - lines} more")
    if notes:
        out.append("Notes: " + notes[0][:150] + (f" (+{len(notes) - 1} more lines)" if len(notes) > 1 else ""))
    missing = [item for report in (result.get("extra_data", {}).get("sandbox") or {}).values()
               for item in report.get("missing", [])]
    if missing:
        out.append(f"Sandbox: {len(missing)} protection(s) not in force here: " + "; ".join(m[:80] for m in missing[:3]))
    return "\n".join(out)


def run(assignment: str, root: Path) -> int:
    """Grade ``root/submission`` and write ``root/results/results.json``.

    It writes results.json for every submission, whatever the student's code does. The one
    exception is a broken container: when the reference itself does not get full marks (the
    canary), it writes no results, prints why, and exits 2, so that Gradescope reports a failed
    autograder instead of recording a grade that came out of a broken environment.
    """
    from autograder.grade import grade_one
    from autograder.grade.canary import CanaryFailed
    from autograder.grade.submission import NotARegularFile, read_regular
    from autograder.report.results_json import results_json
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
                    (folder / path.name).write_bytes(read_regular(path, root / "submission"))
                # The upload's files in a one-student class, so that the same rule as `autograder
                # grade` picks the file; the result goes straight to Gradescope's format.
                result = results_json(grade_one(submissions=folder.parent, assignment=assignment))
                result["stdout_visibility"] = "hidden"
    except NotARegularFile as exc:
        result = _failure(f"{exc}. The autograder reads only regular files.")
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
    print(summary(result, assignment, _student(root)), flush=True)
    return 0


def root_from(explicit: str | None) -> Path:
    return Path(explicit or os.environ.get(ROOT_VARIABLE) or "/autograder")
