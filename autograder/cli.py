"""Command-line entry point: turns flags into calls of each subcommand's ``main``."""
from __future__ import annotations

import argparse
import atexit
import os
import sys
from pathlib import Path

GRADE_EXAMPLES = """\
layout expected:
  SUBMISSIONS/
    alice/linear_regression.py
    bob/linear_regression.py

examples:
  autograder grade linear_regression demo/linear_regression --out out/demo
  autograder grade softmax_regression subs/ --out out/hw2 --devices cpu

writes OUT/grades.csv (student,score,max_score, then one column per check),
OUT/misconceptions.csv, OUT/canvas.csv (Canvas gradebook import), OUT/report.html (the class
view), and OUT/students/<student>/results.json (Gradescope's format) and feedback.html for each
student. Student files may be .py or .ipynb; nbgrader's submitted/<student>/<assignment>/ works too.
A student already graded in OUT from the same file by the same grader is kept, not graded again:
run the same command again to resume a stopped run, or to regrade only the resubmissions.
"""

MERGE_EXAMPLES = """examples (a class split in 4, on a cluster sharing OUT):
  autograder grade linear_regression subs/ --out out/hw1 --shard 1/4   # ... up to 4/4, anywhere
  autograder grade linear_regression subs/ --out out/hw1 --shard auto  # in a Slurm array task
  autograder merge linear_regression subs/ --out out/hw1

merge checks that every student of SUBMISSIONS has a result in OUT graded from their file with the
same settings (naming the shard to run again where not), then writes the class's files as one run does.
"""

SELFTEST_EXAMPLES = """\
examples:
  autograder selftest                    # the devices in grading.toml
  autograder selftest --devices cpu,cuda # on a GPU machine

For each assignment it grades the reference (must get full marks) and the untouched stub (must get
0, every check saying "not implemented yet"), then the demo class (each student's expected score),
and prints, per device, the protections in force, the reference's score and the seconds per
submission. Exit 0 when everything is as expected, 1 otherwise. Run it on every new grading machine.
"""

RELEASE_EXAMPLES = """\
examples:
  autograder release                 # regenerate every assignments/<name>/ from solutions/
  autograder release linear_regression
  autograder release --check         # exit 1 if assignments/ has drifted from solutions/
"""


GRADESCOPE_EXAMPLES = """\
examples:
  autograder gradescope linear_regression --out autograder.zip --python 3.10   # Ubuntu 22.04 image
  autograder gradescope linear_regression --out autograder.zip                 # this Python's versions

The zip holds setup.sh (installs the pinned environment), run_autograder (grades
/autograder/submission into /autograder/results/results.json), requirements.txt and the kit.
Checks that compare with the reference are hidden until grades are published, unless
grading.toml's [results] reference_checks_visibility says otherwise.
"""


NBGRADER_EXAMPLES = """\
workflow, in the course folder (the one holding nbgrader_config.py; elsewhere add --course DIR):
  autograder nbgrader source linear_regression       # source/linear_regression/linear_regression.ipynb
  nbgrader generate_assignment linear_regression     # release/ without the solutions
  nbgrader release_assignment linear_regression      # then students fetch and submit as usual
  nbgrader collect linear_regression
  autograder nbgrader grade linear_regression --out graded/linear_regression
  nbgrader export                                    # grades.csv with the kit's scores

Do not run `nbgrader autograde` on these assignments: the graded cells hold no tests, the kit's
checks run in its own sandbox instead.
"""


REVIEW_EXAMPLES = """\
examples:
  autograder review list out/hw1                 # what the grader flagged, student by student
  autograder review clear linear_regression alice --function sgd --from out/hw1 \\
      --reason "gc.collect() only frees memory" --by "TA Kim"
  autograder grade linear_regression subs/ --out out/hw1     # grades alice's sgd normally now

clear adds a [[review.clear]] entry to grading.toml (or --config): the student's function, the digest
of the file that was read (from --from OUT's results.json, or --digest), the reason and who cleared it.
A resubmitted file has another digest, so its flags stand until it is read again.
"""

NAME_HELP = "assignment, e.g. linear_regression"
COURSE_HELP = "the nbgrader course folder, holding nbgrader_config.py (default: the current folder)"
NAMES_HELP = "assignments (default: all)"


def _parser() -> argparse.ArgumentParser:
    # Every command takes the assignment the same way: NAME, its first positional argument.
    parser = argparse.ArgumentParser(prog="autograder", description="Auto-graded d2l chapter 3 exercises.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    # gradescope-run is what the bundle's run_autograder calls, not a command for people: not listed.
    sub = parser.add_subparsers(dest="command", required=True,
                                metavar="{grade,merge,review,selftest,release,gradescope,nbgrader}")
    grade = sub.add_parser("grade", help="grade a folder of submissions against the reference",
                           epilog=GRADE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    grade.add_argument("name", metavar="NAME", help=NAME_HELP)
    grade.add_argument("submissions", metavar="SUBMISSIONS", type=Path, nargs="?",
                       help="folder with one folder per student")
    grade.add_argument("--assignment", dest="old_assignment", help=argparse.SUPPRESS)  # the 0.1 spelling
    grade.add_argument("--out", required=True, type=Path, help="output folder")
    grade.add_argument("--kit", type=Path, help="kit folder (default: found from the current folder)")
    grade.add_argument("--config", type=Path, help="a grading.toml to use instead of the kit's")
    grade.add_argument("--devices", help="comma-separated devices overriding grading.toml, e.g. cpu")
    grade.add_argument("--workers", type=int, help="submissions graded at once (default: CPU cores)")
    grade.add_argument("--quiet", action="store_true", help="print only errors")
    grade.add_argument("--roster", type=Path, help="Canvas gradebook export, to fill canvas.csv's student IDs "
                                                   "(every folder must match one of its rows)")
    grade.add_argument("--roster-map", type=Path, metavar="FILE",
                       help="with --roster: a CSV of 'folder,roster' lines for folders named otherwise than their "
                            "roster row's SIS Login ID, SIS User ID or ID")
    grade.add_argument("--canvas-column", help='Canvas assignment column for canvas.csv, e.g. "HW2 (12345)"')
    grade.add_argument("--zero-missing", action="store_true",
                       help="with --roster: give the roster's students with no folder at all a 0 in canvas.csv")
    grade.add_argument("--shard", metavar="K/N",
                       help="grade only part K of N of the class (a job array's task; `auto` reads Slurm's "
                            "SLURM_ARRAY_TASK_ID or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX), then "
                            "`autograder merge` once every part is done")
    merge = sub.add_parser("merge", help="write the class's files from the results of `grade --shard` runs",
                           epilog=MERGE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    merge.add_argument("name", metavar="NAME", help=NAME_HELP)
    merge.add_argument("submissions", metavar="SUBMISSIONS", type=Path, help="the folder the shards graded")
    merge.add_argument("--out", required=True, type=Path, help="the output folder the shards wrote to")
    merge.add_argument("--kit", type=Path, help="kit folder (default: found from the current folder)")
    merge.add_argument("--config", type=Path, help="the grading.toml the shards used, if not the kit's")
    merge.add_argument("--devices", help="the --devices the shards used")
    merge.add_argument("--quiet", action="store_true", help="print only errors")
    merge.add_argument("--roster", type=Path, help="Canvas gradebook export (as for grade)")
    merge.add_argument("--roster-map", type=Path, metavar="FILE", help="as for grade")
    merge.add_argument("--canvas-column", help="as for grade")
    merge.add_argument("--zero-missing", action="store_true", help="as for grade")
    review = sub.add_parser("review", help="list the flags of a graded class, or clear one after reading the code",
                            epilog=REVIEW_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    review_sub = review.add_subparsers(dest="review_command", required=True)
    review_list = review_sub.add_parser("list", help="the functions the grader flagged in a graded output folder")
    review_list.add_argument("out", metavar="OUT", type=Path, help="a folder written by `autograder grade`")
    review_clear = review_sub.add_parser("clear", help="clear a flag after reading the code (adds it to grading.toml)")
    review_clear.add_argument("name", metavar="NAME", help=NAME_HELP)
    review_clear.add_argument("student", metavar="STUDENT", help="the student's folder name, as in grades.csv")
    review_clear.add_argument("--function", default="*", help="the function whose flags are cleared (default: all)")
    review_clear.add_argument("--reason", required=True, help="why the flag was wrong (the student sees it)")
    review_clear.add_argument("--by", default="", help="who cleared it")
    review_clear.add_argument("--from", dest="from_out", type=Path,
                              help="the graded output folder: the clearance is for the file graded there")
    review_clear.add_argument("--digest", default="", help="the file's digest (results.json extra_data.digest)")
    review_clear.add_argument("--config", type=Path, help="the grading.toml to add it to (default: the kit's)")
    review_clear.add_argument("--kit", type=Path, help="kit folder")
    selftest = sub.add_parser("selftest", help="check this grading machine: grade each reference, stub and the demo",
                              epilog=SELFTEST_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    selftest.add_argument("--devices", help="comma-separated devices to check, e.g. cpu,cuda (default: grading.toml's)")
    selftest.add_argument("--kit", type=Path, help="kit folder")
    selftest.add_argument("--workers", type=int, help="submissions graded at once (default: 2)")
    release = sub.add_parser("release", help="generate assignments/ from solutions/",
                             epilog=RELEASE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    release.add_argument("names", metavar="NAME", nargs="*", help=NAMES_HELP)
    release.add_argument("--check", action="store_true", help="only report drift; exit 1 if any")
    release.add_argument("--kit", type=Path, help="kit folder")
    gradescope = sub.add_parser("gradescope", help="build Gradescope's autograder zip for one assignment",
                                epilog=GRADESCOPE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    gradescope.add_argument("name", metavar="NAME", help=NAME_HELP)
    gradescope.add_argument("--out", type=Path, default=Path("autograder.zip"), help="zip to write")
    gradescope.add_argument("--kit", type=Path, help="kit folder")
    gradescope.add_argument("--python", help="the Python of Gradescope's base image, as X.Y: 3.10 for Ubuntu 22.04 "
                                             "(Gradescope's default), 3.12 for 24.04 (default: this Python; "
                                             "another is resolved with pip, which needs the package index)")
    run = sub.add_parser("gradescope-run", description="(inside Gradescope) grade ROOT/submission into ROOT/results")
    run.add_argument("name", help="assignment")
    run.add_argument("--root", help="Gradescope's root folder (default: $AUTOGRADER_ROOT or /autograder)")
    nb = sub.add_parser("nbgrader", help="use the kit in an nbgrader course",
                        epilog=NBGRADER_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    nb_sub = nb.add_subparsers(dest="nbgrader_command", required=True)
    source = nb_sub.add_parser("source", help="write COURSE/source/<name>/<name>.ipynb with nbgrader metadata")
    source.add_argument("names", metavar="NAME", nargs="*", help=NAMES_HELP)
    source.add_argument("--course", type=Path, default=Path("."), help=COURSE_HELP)
    source.add_argument("--kit", type=Path, help="kit folder")
    nb_grade = nb_sub.add_parser("grade", help="grade COURSE/submitted and record the grades in the gradebook")
    nb_grade.add_argument("name", metavar="NAME", help=NAME_HELP)
    nb_grade.add_argument("old_name", nargs="?", help=argparse.SUPPRESS)  # 0.1: COURSE NAME
    nb_grade.add_argument("--course", type=Path, default=Path("."), help=COURSE_HELP)
    nb_grade.add_argument("--out", required=True, type=Path, help="output folder for the kit's reports")
    nb_grade.add_argument("--kit", type=Path, help="kit folder")
    nb_grade.add_argument("--devices", help="comma-separated devices overriding grading.toml")
    nb_grade.add_argument("--workers", type=int, help="submissions graded at once")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("d2l-ch3-autograder")
    except PackageNotFoundError:
        return "(not installed)"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "grade":
        from autograder.sandbox.grader_side.forker import Template
        Template.get()  # the template imports torch while this process does (the imports below load it)
    from autograder.config import ConfigError
    from autograder.kit import KitError
    from autograder.authoring.release import ReleaseError
    from autograder.integrations.roster import RosterError
    from autograder.integrations.gradescope import BundleError
    from autograder.grade.submission import NothingToGrade
    from autograder.grade.canary import CanaryFailed
    from autograder.grade.judge import DeviceUnavailable
    from autograder.integrations.nbgrader_course import CourseError
    from autograder.grade import shards
    try:
        _take_old_spellings(args, parser)
        if args.command == "grade":
            from autograder import grade
            if (args.roster_map or args.zero_missing) and not args.roster:
                parser.error("--roster-map and --zero-missing need --roster (Canvas's gradebook export)")
            devices = _devices(args.devices)
            shard = shards.parse(args.shard) if args.shard else None
            grade.main(submissions=args.submissions, assignment=args.name, out=args.out,
                       kit=args.kit, config=args.config, devices=devices, workers=args.workers, quiet=args.quiet,
                       roster=args.roster, roster_map=args.roster_map, canvas_column=args.canvas_column,
                       zero_missing=args.zero_missing, shard=shard)
            return 0
        if args.command == "merge":
            from autograder.grade import merge
            if (args.roster_map or args.zero_missing) and not args.roster:
                parser.error("--roster-map and --zero-missing need --roster (Canvas's gradebook export)")
            merge.main(submissions=args.submissions, assignment=args.name, out=args.out, kit=args.kit,
                       config=args.config, devices=_devices(args.devices), quiet=args.quiet, roster=args.roster,
                       roster_map=args.roster_map, canvas_column=args.canvas_column, zero_missing=args.zero_missing)
            return 0
        if args.command == "release":
            return _release(args)
        if args.command == "review":
            return _review(args)
        if args.command == "selftest":
            from autograder import selftest
            devices = _devices(args.devices)
            return selftest.main(kit=args.kit, devices=devices, workers=args.workers)
        if args.command == "nbgrader":
            return _nbgrader(args)
        if args.command == "gradescope":
            from autograder.integrations import gradescope
            from autograder.kit import find_kit
            python = args.python or gradescope.this_python()
            path = gradescope.build(find_kit(args.kit), args.name, args.out, python)
            image = {"3.10": "Ubuntu 22.04, Gradescope's default", "3.12": "Ubuntu 24.04"}.get(python)
            print(f"wrote {path} for Python {python}: upload it as the assignment's autograder, on a base "
                  f"image with Python {python}" + (f" ({image})" if image else ""))
            return 0
        if args.command == "gradescope-run":
            from autograder.integrations import gradescope
            return gradescope.run(args.name, gradescope.root_from(args.root))
    except (ConfigError, KitError, ReleaseError, RosterError, BundleError, CourseError, CanaryFailed,
            NothingToGrade, DeviceUnavailable, shards.ShardError, FileNotFoundError) as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2
    return 2


def _review(args) -> int:
    from autograder.grade import review
    from autograder.sandbox.errors import clean_text
    if args.review_command == "list":
        rows = review.listed(args.out)
        if not rows:
            print(f"nothing flagged in {args.out}")
        for row in rows:
            state = f"cleared: {row['cleared']['reason']}" if row["cleared"] else "flagged"
            print(clean_text(f"{row['student']}  {row['function']}  ({state})"))
            for flag in row["flags"]:
                where = f" ({flag['where']})" if flag.get("where") else ""
                print(clean_text(f"    {flag['what']}{where}"))
        return 0
    from autograder.kit import find_kit
    kit = find_kit(args.kit)
    kit.require(args.name)
    digest = args.digest or (review.digest_from(args.from_out, args.student) if args.from_out else "")
    config = args.config or kit.config_path
    added = review.clear(config, assignment=args.name, student=args.student, function=args.function,
                         digest=digest, reason=args.reason, by=args.by)
    print(f"added to {config}:{added}grade the class again: {args.student}'s "
          f"{'functions' if args.function == '*' else args.function} will be graded normally"
          + ("" if digest else " (whatever file they hand in: no --digest or --from was given)"))
    return 0


def _nbgrader(args) -> int:
    from autograder.integrations import nbgrader_course
    from autograder.kit import find_kit
    kit = find_kit(args.kit)
    if args.nbgrader_command == "source":
        names = args.names or kit.assignments()
        for name in names:
            print(f"wrote {nbgrader_course.write_source(kit, name, args.course)}")
        print("next, in the course folder: " + "; ".join(f"nbgrader generate_assignment {n}" for n in names))
        return 0
    devices = _devices(args.devices)
    recorded = nbgrader_course.grade(args.course, args.name, args.out, kit=kit.root, devices=devices,
                                     workers=args.workers)
    count = len(recorded.students)
    print(f"recorded {count} submission{'' if count == 1 else 's'} of {args.name} as autograded in "
          f"{recorded.database}; see them in the formgrader or with `nbgrader export`, and send the kit's "
          f"messages to the students with `nbgrader generate_feedback {args.name}` then "
          f"`nbgrader release_feedback {args.name}`")
    return 0


def _take_old_spellings(args, parser: argparse.ArgumentParser) -> None:
    """Read 0.1's spellings, with a note on the new one: ``grade SUBMISSIONS --assignment NAME``, and
    the course folder as the first positional argument of ``nbgrader source`` and ``nbgrader grade``.
    Also catch a grade command with its two arguments the wrong way round."""
    if args.command == "grade":
        if args.old_assignment is not None:
            if args.submissions is not None:
                parser.error("the assignment is given twice: write `autograder grade NAME SUBMISSIONS --out OUT`")
            args.name, args.submissions = args.old_assignment, Path(args.name)
            _old_spelling("grade SUBMISSIONS --assignment NAME", f"autograder grade {args.name} {args.submissions}")
        elif args.submissions is None:
            parser.error("the submissions folder is missing: write `autograder grade NAME SUBMISSIONS --out OUT`")
        else:
            known = _assignments(args.kit)
            if args.name not in known and str(args.submissions) in known:
                parser.error(f"the assignment comes first: `autograder grade {args.submissions} {args.name} ...`")
    elif args.command == "nbgrader":
        if args.nbgrader_command == "grade" and args.old_name is not None:
            args.course, args.name = Path(args.name), args.old_name
            _old_spelling("nbgrader grade COURSE NAME", f"autograder nbgrader grade {args.name} --course {args.course}")
        elif args.nbgrader_command == "source" and args.names and Path(args.names[0]).is_dir() \
                and args.names[0] not in _assignments(args.kit):
            args.course, args.names = Path(args.names[0]), args.names[1:]
            names = "".join(f"{name} " for name in args.names)
            _old_spelling("nbgrader source COURSE [NAME...]", f"autograder nbgrader source {names}--course {args.course}")


def _assignments(kit_folder) -> list[str]:
    from autograder.kit import find_kit
    return find_kit(kit_folder).assignments()


def _old_spelling(old: str, new: str) -> None:
    print(f"autograder: note: `{old}` is the old spelling and will go; this run is `{new}`", file=sys.stderr)


def _devices(text: str | None) -> list[str] | None:
    """--devices cpu,cuda as a list; None (grading.toml's) when not given."""
    return [d.strip() for d in text.split(",") if d.strip()] if text else None


def _release(args) -> int:
    from autograder.authoring import release
    from autograder.kit import find_kit
    kit = find_kit(args.kit)
    names = args.names or kit.assignments()
    for name in names:
        kit.require(name)
    if args.check:
        problems = [p for name in names for p in release.drift(kit, name)]
        for problem in problems:
            print(problem, file=sys.stderr)
        print("assignments/ matches solutions/" if not problems else f"{len(problems)} file(s) drifted; "
              "run `autograder release`")
        return 1 if problems else 0
    for name in names:
        print(f"wrote {release.write(kit, name)}")
    return 0


def run() -> None:
    """The console entry point: main(), then a quick exit.

    Exit handlers run as usual (they stop the template process and flush the log), but the
    interpreter's teardown of torch and matplotlib, half a second of nothing, is skipped.
    """
    code = main()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
