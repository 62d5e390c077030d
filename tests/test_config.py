"""Does a bad grading.toml get an error that names the file, the key and the reason?"""
import subprocess
import sys

import pytest

from autograder.checks.registry import load_checks
from autograder.config import ConfigError, load_config
from autograder.kit import Kit
from corpus_support import KIT


def _write(tmp_path, text):
    path = tmp_path / "grading.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, key, reason", [
    ("[run]\nsead = 1\n", "run.sead", "unknown key"),
    ("[run]\nseed = 'one'\n", "run.seed", "valid integer"),
    ("[run]\ndevices = ['cpu', 'tpu']\n", "run.devices.1", "'cpu' or 'cuda'"),
    ("[limits]\ncall_timeout_s = -1\n", "limits.call_timeout_s", "greater than 0"),
    ("[limits]\ncall_timeout_s = '10'\n", "limits.call_timeout_s", "valid number"),
    ("[assignments.a]\npoints = { x = 'two' }\n", "assignments.a.points.x", "valid number"),
    ("[assignments.a]\nforbiden_calls = []\n", "assignments.a.forbiden_calls", "unknown key"),
])
def test_bad_value_names_file_key_and_reason(tmp_path, text, key, reason):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert str(path) in message and f"'{key}'" in message and reason in message, message


def test_invalid_toml_names_the_file(tmp_path):
    path = _write(tmp_path, "[run\nseed = 1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_every_setting_has_a_default(tmp_path):
    config = load_config(_write(tmp_path, ""))
    assert config.limits.call_timeout_s > 0 and config.run.devices == ["cpu"]


def test_points_for_an_unknown_check_is_an_error(tmp_path):
    config = load_config(_write(tmp_path, "[assignments.linear_regression.points]\nsgd_updat = 3\n"))
    ids = {c.id for c in load_checks(Kit(KIT), "linear_regression")}
    with pytest.raises(ConfigError, match="sgd_updat': no check with that id"):
        config.validate_checks("linear_regression", ids)


def test_updates_in_place_naming_no_function_of_the_assignment_is_an_error(tmp_path):
    config = load_config(_write(tmp_path, '[assignments.linear_regression]\nupdates_in_place = ["sdg"]\n'))
    with pytest.raises(ConfigError, match="updates_in_place': 'sdg' is not a function students write"):
        config.validate_checks("linear_regression", set(), ("synthetic_data", "sgd"))


@pytest.mark.parametrize("assignment", ["linear_regression", "softmax_regression"])
def test_the_kits_grading_toml_matches_its_checks(assignment):
    config = load_config(KIT / "grading.toml")
    checks = load_checks(Kit(KIT), assignment)
    config.validate_checks(assignment, {c.id for c in checks})
    graded = [c for c in checks if not c.advisory]
    assert all(config.points_for(assignment, c.id, False) > 0 for c in graded)
    assert all(config.points_for(assignment, c.id, True) == 0 for c in checks if c.advisory)


def test_cli_reports_a_bad_config_without_a_traceback(tmp_path):
    path = _write(tmp_path, "[limits]\noutput_bytes = 'lots'\n")
    (tmp_path / "subs").mkdir()
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(tmp_path / "subs"),
                          "--out", str(tmp_path / "out"),
                          "--config", str(path), "--kit", str(KIT)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert str(path) in run.stderr and "limits.output_bytes" in run.stderr
