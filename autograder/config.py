"""grading.toml: every setting declared once here, with its type, default and meaning."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib


class ConfigError(Exception):
    """grading.toml is unreadable or holds a bad key or value; the message names both."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RunSettings(_Strict):
    seed: int = Field(0, description="Run seed; each check's seed derives from it and the check id.")
    devices: list[Literal["cpu", "cuda"]] = Field(
        default_factory=lambda: ["cpu"], min_length=1,
        description="Devices every check runs on; a check passes when it passes on each. "
                    "Asking for cuda where there is no GPU is an error.")
    threads: int = Field(1, ge=1, description="torch threads in each student process.")


class Limits(_Strict):
    startup_timeout_s: float = Field(
        60.0, gt=0, description="Wall time to start a student process and import the file.")
    call_timeout_s: float = Field(10.0, gt=0, description="Processor time of one call of a student function, at "
                                                         "most (wall time: three times this).")
    call_factor: float = Field(
        50.0, ge=0, description="A call may take this many times the processor time of the reference's slowest call "
                                "of the same function when it was graded first (the canary), between call_floor_s "
                                "and call_timeout_s: an endless loop in a small function stops in seconds. 0: "
                                "every call gets call_timeout_s.")
    call_floor_s: float = Field(2.0, gt=0, description="The least processor time a call may take (see call_factor).")
    statement_timeout_s: float = Field(
        10.0, gt=0, description="Processor time of one top-level statement of a .py (or one notebook cell) when "
                                "the file is imported; one that runs longer is stopped, and only it is lost.")
    check_timeout_s: float = Field(120.0, gt=0, description="Wall time for all the calls of one check.")
    submission_timeout_s: float = Field(
        600.0, gt=0, description="Wall time for all checks of one submission together.")
    output_bytes: int = Field(1_000_000, ge=1024, description="What a student process may print, at most.")
    max_items: int = Field(100_000, ge=1, description="Items a student's iterator may yield in one call.")
    reply_mb: int = Field(64, ge=1, le=512, description="What one call of a student function may send back, at "
                                                        "most (the largest reply of the kit's checks is 0.25 MB); a "
                                                        "larger reply is refused before it is read.")
    worker_memory_mb: int = Field(4096, ge=256, description="Memory a grading worker may take beyond what it holds "
                                                            "when it starts (RLIMIT_DATA): what it runs out of is "
                                                            "that student's failed check, not the class's.")
    memory_mb: int = Field(4096, ge=256, description="Private memory of a student process (RLIMIT_DATA).")
    gpu_memory_mb: int = Field(2048, ge=0, description="GPU memory torch may hold in one student process "
                                                       "(0: no cap); workers × this must fit the GPU.")
    cpu_s: int = Field(600, ge=1, description="CPU seconds of one student process (RLIMIT_CPU).")
    max_processes: int = Field(32, ge=1, description="Processes a student process may start.")
    scratch_mb: int = Field(64, ge=1, description="What a student process may write in its scratch folder "
                                                  "(its own tmpfs).")


class SandboxSettings(_Strict):
    landlock: bool = Field(True, description="Restrict files, TCP and signals with Landlock where the kernel has it.")
    namespaces: bool = Field(True, description="Isolate network and processes in user/net/pid namespaces.")
    seccomp: bool = Field(True, description="Filter system calls grading never needs (keyrings, unix sockets by "
                                            "path, eBPF, io_uring, ptrace, mounts).")
    extra_read: list[str] = Field(default_factory=list,
                                  description="More paths a student process may read (drivers, datasets).")
    stub_imports: list[str] = Field(default_factory=lambda: ["matplotlib", "IPython", "tqdm"],
                                    description="Packages that, when not installed, import as no-op stubs.")


class ResultsSettings(_Strict):
    reference_checks_visibility: Literal["after_published", "after_due_date", "visible", "hidden"] = Field(
        "after_published", description="Gradescope visibility of the checks that compare with the reference "
                                       "(the public ones are always visible); visible for formative use.")


class AssignmentSettings(_Strict):
    default_points: float = Field(1.0, ge=0, description="Points of a graded check with no entry in points.")
    advisory_points: float = Field(0.0, ge=0, description="Points of an advisory check with no entry in points.")
    points: dict[str, float] = Field(default_factory=dict, description="Points per check id, whatever the devices.")
    forbidden_calls: list[str] = Field(
        default_factory=list, description="Ready-made APIs a from-scratch function may not call (dotted names).")
    forbidden_groups: list[str] = Field(
        default_factory=list, description="Named lists from [forbidden_groups] that are forbidden too.")
    noted_calls: list[str] = Field(
        default_factory=list, description="APIs whose use advisory checks point out, at no cost in points.")
    updates_in_place: list[str] = Field(
        default_factory=list, description="Student functions whose contract changes their tensor arguments "
                                          "(sgd): only their changes are copied back to the grader's tensors.")
    operators: list[str] = Field(
        default_factory=lambda: ["any"],
        description="What the functions students write may use: named operator sets (autograder/operators.py: "
                    "elementary, linear_solvers, numpy_interop), checked at run time against what the code "
                    "runs; [\"any\"] for no allowlist (only forbidden calls count).")
    function_operators: dict[str, list[str]] = Field(
        default_factory=dict, description="Per function, the operator sets it may use instead of `operators`.")
    allowed_calls: list[str] = Field(
        default_factory=list, description="More torch names every function with an allowlist may use "
                                          "(torch.NAME, Tensor.NAME, a bare NAME for both, aten.NAME).")

    @model_validator(mode="after")
    def _known_operator_sets(self):
        from autograder.operators import ANY, SETS
        for key, sets in [("operators", self.operators), *((f"function_operators.{fn}", v)
                                                            for fn, v in self.function_operators.items())]:
            unknown = [s for s in sets if s not in SETS and s != ANY]
            if unknown:
                raise ValueError(f"{key}: unknown operator set {unknown[0]!r} "
                                 f"(known: {', '.join([*SETS, ANY])})")
            if ANY in sets and len(sets) > 1:
                raise ValueError(f"{key}: \"any\" allows everything, so it stands alone")
            if sets and ANY not in sets and "elementary" not in sets:
                raise ValueError(f"{key}: a from-scratch function needs the \"elementary\" set "
                                 "(the grader's own handling of its values uses it)")
        return self

    def operators_of(self, function: str) -> list[str]:
        return list(self.function_operators.get(function, self.operators))


class Clearance(_Strict):
    """An instructor's decision, after reading the code, that a flag on one student's function was wrong."""

    student: str = Field(description="The student's folder name, as in grades.csv.")
    assignment: str
    function: str = Field("*", description="The function whose flags are cleared (* for every function).")
    digest: str = Field("", description="The sha256 of the file that was read (results.json extra_data.digest); "
                                        "a resubmission is not covered. Empty: whatever the file.")
    reason: str = Field(min_length=1, description="Why the flag was wrong, as the instructor wrote it.")
    by: str = Field("", description="Who cleared it.")

    def covers(self, student: str, assignment: str, function: str, digest: str) -> bool:
        return (self.student == student and self.assignment == assignment and self.function in ("*", function)
                and (not self.digest or digest.startswith(self.digest.lower())))


class ReviewSettings(_Strict):
    clear: list[Clearance] = Field(default_factory=list,
                                   description="Flags an instructor cleared after reading the code "
                                               "(autograder review clear adds them).")


class GradingConfig(_Strict):
    run: RunSettings = RunSettings()
    limits: Limits = Limits()
    sandbox: SandboxSettings = SandboxSettings()
    results: ResultsSettings = ResultsSettings()
    review: ReviewSettings = ReviewSettings()
    forbidden_groups: dict[str, list[str]] = Field(
        default_factory=dict, description="Named lists of ready-made APIs that assignments forbid together, "
                                          "so that related assignments cannot drift apart.")
    assignments: dict[str, AssignmentSettings] = Field(default_factory=dict)
    path: str = Field("grading.toml", exclude=True)

    @model_validator(mode="after")
    def _groups_exist(self):
        for name, settings in self.assignments.items():
            for group in settings.forbidden_groups:
                if group not in self.forbidden_groups:
                    known = ", ".join(sorted(self.forbidden_groups)) or "none"
                    raise ValueError(f"key 'assignments.{name}.forbidden_groups': no group '{group}' in "
                                     f"[forbidden_groups] (known: {known})")
        return self

    def operators(self, assignment: str) -> dict:
        """What the functions students write may use, as the student process is told it:
        {"default": rules, "functions": {fn: rules}}, where rules are {"sets": [...], "extra": [...]},
        or None for a function without an allowlist."""
        from autograder.operators import ANY
        settings = self.assignment(assignment)

        def rules(sets):
            return None if ANY in sets else {"sets": list(sets), "extra": list(settings.allowed_calls)}
        return {"default": rules(settings.operators),
                "functions": {fn: rules(sets) for fn, sets in settings.function_operators.items()}}

    def allowlist(self, assignment: str, function: str):
        """The Allowlist of one function (autograder/operators.py), or None ("any")."""
        from autograder.operators import allowlist
        settings = self.assignment(assignment)
        return allowlist(settings.operators_of(function), settings.allowed_calls)

    def clearance(self, student: str, assignment: str, function: str, digest: str) -> Clearance | None:
        """The instructor's clearance of ``function``'s flags for this file, if there is one."""
        return next((c for c in self.review.clear if c.covers(student, assignment, function, digest)), None)

    def forbidden(self, assignment: str) -> list[str]:
        """Every API the assignment forbids: its groups' and its own forbidden_calls, in order."""
        settings = self.assignment(assignment)
        names = [n for g in settings.forbidden_groups for n in self.forbidden_groups[g]] + settings.forbidden_calls
        return list(dict.fromkeys(names))

    def assignment(self, name: str) -> AssignmentSettings:
        if name not in self.assignments:
            known = ", ".join(sorted(self.assignments)) or "none"
            raise ConfigError(f"{self.path}: no [assignments.{name}] table (configured: {known})")
        return self.assignments[name]

    def points_for(self, assignment: str, check_id: str, advisory: bool) -> float:
        settings = self.assignment(assignment)
        if check_id in settings.points:
            return settings.points[check_id]
        return settings.advisory_points if advisory else settings.default_points

    def with_devices(self, devices: list[str]) -> "GradingConfig":
        """This config with the devices given on the command line, checked like the file's."""
        try:
            run = RunSettings.model_validate({**self.run.model_dump(), "devices": devices})
        except ValidationError as exc:
            raise ConfigError("--devices: " + "; ".join(_describe(e) for e in exc.errors())) from None
        return self.model_copy(update={"run": run})

    def validate_checks(self, assignment: str, check_ids: set[str], functions: tuple[str, ...] = ()) -> None:
        """Every points key must name a real check, and every updates_in_place entry a function students
        write: a typo must not silently become the default."""
        settings = self.assignment(assignment)
        for key in settings.points:
            if key not in check_ids:
                raise ConfigError(f"{self.path}: key 'assignments.{assignment}.points.{key}': "
                                  f"no check with that id (known: {', '.join(sorted(check_ids))})")
        for key, names in (("updates_in_place", settings.updates_in_place),
                           ("function_operators", list(settings.function_operators))):
            for name in names:
                if functions and name not in functions:
                    raise ConfigError(f"{self.path}: key 'assignments.{assignment}.{key}': {name!r} is not "
                                      f"a function students write (those are: {', '.join(functions)})")


def _describe(error: dict) -> str:
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "value_error" and not key:
        return str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"key '{key}': unknown key"
    value = error.get("input")
    return f"key '{key}': {error['msg'].lower()} (got {value!r})"


def load_config(path: Path) -> GradingConfig:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return GradingConfig.model_validate({**raw, "path": str(path)})
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from None
