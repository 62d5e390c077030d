"""Does the Gradescope bundle, built by `autograder gradescope`, grade submissions inside a
fake /autograder root as Gradescope would run it, and write a valid results.json?"""
import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from corpus_support import KIT, kit_assignments

pytestmark = pytest.mark.slow

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    run = subprocess.run([sys.executable, "-m", "autograder", "gradescope", "linear_regression", "--out", str(out)],
                         capture_output=True, text=True, cwd=KIT, timeout=120)
    assert run.returncode == 0, run.stderr
    return out


def _root(tmp_path, bundle, files: dict, points_edit=None):
    """A fresh /autograder: source/ unpacked from the zip, submission/ holding ``files``."""
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(bundle) as z:
        z.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        path = root / "source" / name
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    if points_edit:
        config = root / "source" / "kit" / "grading.toml"
        config.write_text(points_edit(config.read_text()))
    for rel, content in files.items():
        target = root / "submission" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (root / "submission").mkdir(exist_ok=True)
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"name": "Ada Lovelace"}]}))
    return root


def _run(root):
    env = {**os.environ, "AUTOGRADER_ROOT": str(root),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                         env=env, cwd="/", timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(result, SCHEMA)
    # Gradescope keeps run_autograder's stdout for the instructor: one screen that says how it went.
    assert f": Ada_Lovelace: {result['score']:g}/" in run.stdout, run.stdout[-2000:]
    assert len(run.stdout.strip().splitlines()) <= 30
    return result


def test_the_bundle_holds_what_gradescope_needs(bundle):
    with zipfile.ZipFile(bundle) as z:
        names = set(z.namelist())
        assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
        assert "kit/solutions/linear_regression/linear_regression.py" in names
        assert "kit/tests/graded/test_linear_regression.py" in names
        assert not any("softmax_regression" in n for n in names), "another assignment's reference leaked in"
        assert not any("__pycache__" in n for n in names)
        requirements = z.read("requirements.txt").decode()
        run_autograder = z.read("run_autograder").decode()
        setup = z.read("setup.sh").decode()
    assert "torch==2.13.0" in requirements and "download.pytorch.org/whl/cpu" in requirements
    assert all("==" in line for line in requirements.splitlines() if not line.startswith("--"))
    assert "AUTOGRADER_ROOT" in run_autograder and "linear_regression" in run_autograder
    assert subprocess.run(["bash", "-n"], input=setup, text=True).returncode == 0
    assert subprocess.run(["bash", "-n"], input=run_autograder, text=True).returncode == 0


def test_a_correct_submission_gets_full_marks(tmp_path, bundle):
    solution = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes()
    result = _run(_root(tmp_path, bundle, {"nested/folder/linear_regression.py": solution}))
    maximum = sum(t["max_score"] for t in result["tests"])
    assert maximum > 0 and result["score"] == pytest.approx(maximum)
    assert result["execution_time"] > 0


def test_a_buggy_submission_loses_points_and_reference_checks_stay_hidden(tmp_path, bundle):
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text()
    buggy = reference.replace("return torch.matmul(X, w) + b", "return torch.matmul(X, w)").encode()
    assert buggy != reference.encode()
    result = _run(_root(tmp_path, bundle, {"linear_regression.py": buggy}))
    failed = [t for t in result["tests"] if t["status"] == "failed"]
    assert failed and all("linreg" in t["tags"] for t in failed)
    # Readable, numbered names: the check's title, numbered by function.
    values = next(t for t in result["tests"] if t["extra_data"].get("check_id") == "linreg_values")
    assert values["name"].startswith("linreg(X, w, b) equals") and values["number"].startswith("3.")
    assert 0 < result["score"] < sum(t["max_score"] for t in result["tests"])
    visibility = {t["extra_data"].get("check_id"): t["visibility"] for t in result["tests"]}
    assert visibility["linreg_values"] == "after_published"
    assert visibility["synthetic_data_shapes"] == "visible"
    assert result["stdout_visibility"] == "hidden"


def test_a_notebook_upload_is_graded(tmp_path, bundle):
    notebook = (KIT / "tests" / "corpus" / "notebooks" / "ok_with_magics.ipynb").read_bytes()
    result = _run(_root(tmp_path, bundle, {"linear_regression.ipynb": notebook}))
    assert result["score"] == pytest.approx(sum(t["max_score"] for t in result["tests"]))


def test_an_untouched_stub_beside_a_finished_notebook_is_not_what_is_graded(tmp_path, bundle):
    """One file-choice rule for Gradescope and `autograder grade`: the file that differs from the
    released stub is graded, and the student is told which."""
    notebook = (KIT / "tests" / "corpus" / "notebooks" / "ok_with_magics.ipynb").read_bytes()
    stub = (KIT / "assignments" / "linear_regression" / "linear_regression.py").read_bytes()
    result = _run(_root(tmp_path, bundle, {"linear_regression.ipynb": notebook, "linear_regression.py": stub}))
    assert result["score"] == sum(t["max_score"] for t in result["tests"]) > 0
    assert "linear_regression.ipynb was graded" in result["output"]


def test_the_bundle_grades_with_its_own_kit(tmp_path, bundle):
    solution = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes()
    root = _root(tmp_path, bundle, {"linear_regression.py": solution},
                 points_edit=lambda text: re.sub(r"(?m)^linreg_values = .*$", "linreg_values = 17", text))
    result = _run(root)
    linreg = [t for t in result["tests"] if t["extra_data"].get("check_id") == "linreg_values"]
    assert linreg and all(t["max_score"] == 17 for t in linreg)


def test_a_file_that_does_not_run_says_so_once_at_the_top(tmp_path, bundle):
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text()
    indented = "".join(f"    {line}" if line.strip() else line for line in reference.splitlines(keepends=True))
    result = _run(_root(tmp_path, bundle, {"linear_regression.py": indented.encode()}))
    assert result["score"] == 0
    assert result["output"].startswith("Your file did not run, so no check could pass: Line 1 of linear_regression.py "
                                       "has a syntax error")
    assert all("syntax error" not in t["output"] for t in result["tests"])


def test_a_wrong_upload_gets_a_message_not_a_crash(tmp_path, bundle):
    result = _run(_root(tmp_path, bundle, {"hw1.py": b"print('hi')\n"}))
    assert result["score"] == 0 and result["tests"] == []
    assert "linear_regression.py" in result["output"] and "hw1.py" in result["output"]


@pytest.mark.parametrize("assignment", [a for a in kit_assignments() if a != "linear_regression"])
def test_every_assignment_has_a_working_bundle(tmp_path, assignment):
    bundle = tmp_path / f"{assignment}.zip"
    run = subprocess.run([sys.executable, "-m", "autograder", "gradescope", assignment, "--out", str(bundle)],
                         capture_output=True, text=True, cwd=KIT, timeout=120)
    assert run.returncode == 0, run.stderr
    solution = (KIT / "solutions" / assignment / f"{assignment}.py").read_bytes()
    result = _run(_root(tmp_path, bundle, {f"{assignment}.py": solution}))
    assert result["tests"] and result["score"] == pytest.approx(sum(t["max_score"] for t in result["tests"]))


def test_a_broken_container_records_no_grade(tmp_path, bundle):
    """The canary guards Gradescope too: where the reference cannot get full marks (here, a call
    time limit no code can meet), run_autograder writes no results.json and fails, so Gradescope
    shows a failed autograder instead of a grade."""
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes()
    root = _root(tmp_path, bundle, {"linear_regression.py": reference},
                 points_edit=lambda t: re.sub(r"^call_timeout_s = .*$", "call_timeout_s = 0.000001", t, flags=re.M))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                         env=env, cwd="/", timeout=600)
    assert run.returncode != 0
    assert "did not get full marks" in run.stdout + run.stderr
    assert not (root / "results" / "results.json").exists()


def test_reference_checks_can_be_made_visible_for_formative_use(tmp_path, bundle):
    reference = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes()
    root = _root(tmp_path, bundle, {"linear_regression.py": reference},
                 points_edit=lambda t: t.replace('reference_checks_visibility = "after_published"',
                                                 'reference_checks_visibility = "visible"'))
    result = _run(root)
    assert {t["visibility"] for t in result["tests"]} == {"visible"}


def test_setup_stops_with_both_versions_named_on_an_image_with_another_python(tmp_path, bundle):
    root = _root(tmp_path, bundle, {})
    setup = root / "source" / "setup.sh"
    built_for = re.search(r'^want="([\d.]+)"', setup.read_text(), re.M).group(1)
    setup.write_text(setup.read_text().replace(f'want="{built_for}"', 'want="3.99"'))
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").symlink_to(sys.executable)
    (fake / "apt-get").write_text("#!/bin/sh\necho 'apt-get: not here' >&2\nexit 1\n")
    (fake / "apt-get").chmod(0o755)
    run = subprocess.run(["bash", str(setup)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PATH": f"{fake}{os.pathsep}/usr/bin{os.pathsep}/bin",
                              "AUTOGRADER_ROOT": str(root)})
    assert run.returncode == 1
    here = "%d.%d" % sys.version_info[:2]
    assert f"built for Python 3.99, and this image has python3 {here}" in run.stderr
    assert f"--python {here}" in run.stderr and not (root / "venv").exists()


LOWEST_PYTHON = os.environ.get("AUTOGRADER_LOWEST_PYTHON")


def _wheelhouse(python: str, requirements: Path) -> Path:
    """A folder holding a wheel for every pin of ``requirements``, for ``python``: kept between runs
    (AUTOGRADER_WHEELHOUSE, or ~/.cache/d2l-ch3-autograder/wheels-X.Y), filled from the index only
    with what it lacks. setup.sh then installs from it offline: the bundle's own pins, its own
    Python, its own pip, without the download."""
    tag = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    wheels = Path(os.environ.get("AUTOGRADER_WHEELHOUSE") or Path.home() / ".cache" / "d2l-ch3-autograder" / f"wheels-{tag}")
    wheels.mkdir(parents=True, exist_ok=True)
    pins = [line for line in requirements.read_text().splitlines() if line and not line.startswith("-")]
    pin_file = wheels.parent / f"pins-{tag}.txt"
    pin_file.write_text("\n".join(pins) + "\n")
    download = [python, "-m", "pip", "download", "--only-binary=:all:", "--dest", str(wheels), "--find-links",
                str(wheels), "--requirement", str(pin_file), "--quiet"]
    offline = subprocess.run([*download, "--no-index"], capture_output=True, text=True, timeout=600)
    if offline.returncode != 0:  # the first run, or new pins: fetch what is missing
        online = subprocess.run(download, capture_output=True, text=True, timeout=1800,
                                env={**os.environ, "PIP_PROGRESS_BAR": "off"})
        assert online.returncode == 0, online.stderr[-2000:]
    return wheels


def _lowest_supported() -> str:
    return re.search(r'requires-python = ">=([\d.]+)"', (KIT / "pyproject.toml").read_text()).group(1)


@pytest.mark.skipif(not LOWEST_PYTHON, reason="set AUTOGRADER_LOWEST_PYTHON to a bare Python of the lowest version "
                                              "pyproject.toml admits (.ci/run does); this also needs the package index")
def test_a_bundle_for_the_lowest_python_sets_up_and_grades_under_it(tmp_path):
    """Gradescope's default image (Ubuntu 22.04) has Python 3.10: the bundle is built for it here,
    its setup.sh makes the venv with that Python and installs the resolved pins from the index,
    and run_autograder grades with it."""
    version = subprocess.run([LOWEST_PYTHON, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == _lowest_supported(), f"{LOWEST_PYTHON} is Python {version}, not {_lowest_supported()}"
    bundle = tmp_path / "autograder.zip"
    built = subprocess.run([sys.executable, "-m", "autograder", "gradescope", "linear_regression", "--out", str(bundle),
                            "--python", version], capture_output=True, text=True, cwd=KIT, timeout=900)
    assert built.returncode == 0, built.stderr[-3000:]
    solution = (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_bytes()
    root = _root(tmp_path, bundle, {"linear_regression.py": solution})
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / f"python{version}").symlink_to(LOWEST_PYTHON)
    # setup.sh installs the pins from a wheelhouse kept between runs: torch for 3.10 comes from PyPI
    # as the CUDA build (GBs) where PyTorch's CPU index cannot be reached, and is downloaded once.
    wheels = _wheelhouse(LOWEST_PYTHON, root / "source" / "requirements.txt")
    # PIP_RETRIES=0: where the CPU index cannot be reached (CI), pip must not retry it for every package.
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], capture_output=True, text=True, timeout=1800,
                           env={**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
                                "AUTOGRADER_ROOT": str(root), "PIP_RETRIES": "0", "PIP_PROGRESS_BAR": "off",
                                "PIP_FIND_LINKS": str(wheels), "PIP_NO_INDEX": "1"})
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-3000:]
    venv_python = root / "venv" / "bin" / "python"
    assert subprocess.run([str(venv_python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True).stdout.strip() == version
    result = _run(root)
    full = sum(t["max_score"] for t in result["tests"])
    assert full > 0 and result["score"] == pytest.approx(full)
    buggy = solution.replace(b"return torch.matmul(X, w) + b", b"return torch.matmul(X, w)")
    assert buggy != solution
    (root / "submission" / "linear_regression.py").write_bytes(buggy)
    result = _run(root)
    assert 0 < result["score"] < sum(t["max_score"] for t in result["tests"])
