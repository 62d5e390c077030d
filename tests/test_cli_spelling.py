"""Every command takes the assignment the same way, as NAME, its first positional argument; 0.1's
spellings still work, with a note naming the new one."""
import argparse
from pathlib import Path

import pytest

from autograder import cli
from corpus_support import KIT

DEMO = str(KIT / "demo" / "linear_regression")


def _parsed(*argv):
    parser = cli._parser()
    args = parser.parse_args([*argv])
    cli._take_old_spellings(args, parser)
    return args


def _subparser(*command) -> argparse.ArgumentParser:
    parser = cli._parser()
    for name in command:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    return parser


@pytest.mark.parametrize("command", [("grade",), ("gradescope",), ("release",), ("nbgrader", "source"),
                                     ("nbgrader", "grade")])
def test_every_command_takes_the_assignment_as_NAME_its_first_positional_argument(command):
    parser = _subparser(*command)
    shown = [a for a in parser._actions if not a.option_strings and a.help is not argparse.SUPPRESS]
    assert shown[0].metavar == "NAME", (command, [a.metavar for a in shown])
    assert "--assignment" not in parser.format_help()


def test_grade_reads_name_then_submissions():
    args = _parsed("grade", "linear_regression", DEMO, "--out", "o", "--kit", str(KIT))
    assert (args.name, args.submissions) == ("linear_regression", Path(DEMO))


def test_the_old_grade_spelling_still_works_and_says_so(capsys):
    args = _parsed("grade", DEMO, "--assignment", "linear_regression", "--out", "o", "--kit", str(KIT))
    assert (args.name, args.submissions) == ("linear_regression", Path(DEMO))
    note = capsys.readouterr().err
    assert "old spelling" in note and f"autograder grade linear_regression {DEMO}" in note


def test_grade_with_its_arguments_the_wrong_way_round_says_which_comes_first(capsys):
    with pytest.raises(SystemExit) as exit_:
        _parsed("grade", DEMO, "linear_regression", "--out", "o", "--kit", str(KIT))
    assert exit_.value.code == 2
    assert f"the assignment comes first: `autograder grade linear_regression {DEMO}" in capsys.readouterr().err


def test_grade_without_a_submissions_folder_is_a_usage_error(capsys):
    with pytest.raises(SystemExit):
        _parsed("grade", "linear_regression", "--out", "o", "--kit", str(KIT))
    assert "the submissions folder is missing" in capsys.readouterr().err


def test_nbgrader_commands_take_the_course_as_an_option_defaulting_to_here():
    source = _parsed("nbgrader", "source", "linear_regression", "mlp", "--kit", str(KIT))
    assert (source.names, source.course) == (["linear_regression", "mlp"], Path("."))
    grade = _parsed("nbgrader", "grade", "linear_regression", "--course", "c", "--out", "o", "--kit", str(KIT))
    assert (grade.name, grade.course) == ("linear_regression", Path("c"))


def test_the_old_nbgrader_spellings_still_work_and_say_so(tmp_path, capsys):
    grade = _parsed("nbgrader", "grade", str(tmp_path), "linear_regression", "--out", "o", "--kit", str(KIT))
    assert (grade.name, grade.course) == ("linear_regression", tmp_path)
    assert f"autograder nbgrader grade linear_regression --course {tmp_path}" in capsys.readouterr().err
    source = _parsed("nbgrader", "source", str(tmp_path), "linear_regression", "--kit", str(KIT))
    assert (source.names, source.course) == (["linear_regression"], tmp_path)
    assert f"autograder nbgrader source linear_regression --course {tmp_path}" in capsys.readouterr().err
    every = _parsed("nbgrader", "source", str(tmp_path), "--kit", str(KIT))
    assert (every.names, every.course) == ([], tmp_path)
