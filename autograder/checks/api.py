"""Declaring graded checks, and what a check receives and raises.

A check is a plain function ``test_<id>(student, ref, ctx)`` in
``tests/graded/test_<assignment>.py``. pytest runs it against the reference (the kit's
own suite); the grader runs it against each submission. It reaches the student only
through ``student.<function>(...)``: tensors in, tensors out. ``student`` holds the student's
functions and nothing else; what a check may ask of the student's process besides calls
(stacked calls, the seeds of its calls, facts shared between checks) is ``ctx.session``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

import torch

from autograder.checks.runs import RunCache, digest
from autograder.seeds import derive_seed

if TYPE_CHECKING:  # the checks' API does not import the sandbox
    from autograder.sandbox.grader_side.proxy import StudentSession


@dataclass(frozen=True)
class CheckSpec:
    """What the grader knows about one check before running it."""

    id: str
    """The function name without ``test_``; the key of its points in grading.toml."""
    tags: tuple[str, ...]
    """The student functions it exercises; a forbidden call in one of them zeroes it."""
    advisory: bool
    """Beyond the book's contract: worth ``advisory_points`` (0 by default)."""
    title: str
    """The first line of the docstring, shown to students."""
    func: object
    seed_group: str | None = None
    """Checks of one group draw the same seeds, so that they see the same random data."""
    public: bool = False
    """It tests a property the docstring states, without the reference solution: students may
    see it before grades are published (Gradescope visibility)."""
    devices: tuple[str, ...] | None = None
    """The devices where the check means something (None: every device the run asks for)."""

    @property
    def seed_key(self) -> str:
        """What the check's seed is derived from (with the run's seed and the device)."""
        return self.seed_group or self.id


class CheckFailed(Exception):
    """The student's function did something other than the contract says."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


def fail(message: str, hint: str | None = None):
    """Fail the check: ``message`` says what was expected and what happened, ``hint`` why."""
    raise CheckFailed(message, hint)


def graded(*tags: str, advisory: bool = False, seed_group: str | None = None, public: bool = False,
           devices: tuple[str, ...] | None = None):
    """Mark ``test_<id>`` as a graded check exercising the student functions ``tags``.

    ``seed_group`` gives several checks the same seeds, so that work on the same data can be
    shared between them (the training checks share their reference run). ``public`` marks a
    check that never consults the reference; the others stay hidden until grades are published.
    ``devices`` limits the check to some devices, where its contract does not involve the others
    (the book's concise training builds its network on the CPU).
    """
    def mark(func):
        name = func.__name__
        if not name.startswith("test_"):
            raise ValueError(f"graded check {name} must be named test_<id>")
        title = (func.__doc__ or name).strip().splitlines()[0]
        func.__graded__ = CheckSpec(name[len("test_"):], tuple(tags), advisory, title, func, seed_group, public,
                                    None if devices is None else tuple(devices))
        return func
    return mark


@dataclass(frozen=True)
class LossCurve:
    """A training check's loss per epoch, the student's beside the reference's, for the feedback plot."""

    title: str
    ylabel: str
    """What the values are, such as "mean squared loss" or "mean cross-entropy"."""
    epochs: list
    yours: list
    """The student's values (None where not a finite number)."""
    reference: list


@dataclass(frozen=True)
class CheckContext:
    """The device a check runs on, its own reproducible random stream, and the session with the
    student's process."""

    device: torch.device
    seed: int
    artifacts: dict = field(default_factory=dict, compare=False)
    """Data a check leaves for the reports (a loss curve), kept whether it passes or fails."""
    session: StudentSession | None = field(default=None, compare=False, repr=False)
    """The student's process beyond plain calls: ``call_stacked``, ``memo``, ``last_call``, and
    the seeds its calls draw (``draw_seed``, ``seed_mark``, ``rewind_seeds``)."""
    runs: RunCache | None = field(default=None, compare=False, repr=False)
    """The plan's cache of the reference's runs (see ``reference_run``); None computes each time."""

    def record(self, name: str, value) -> None:
        """Keep plain data (numbers, strings, lists, dicts) for the reports under ``name``."""
        self.artifacts[name] = value

    def record_loss_curve(self, curve: LossCurve) -> None:
        """Keep a loss curve for the student's feedback page (plotted with its own labels)."""
        self.record("loss_curve", dataclasses.asdict(curve))

    def reference_run(self, name: str, make, *, data=(), params=()):
        """``make(key)``: a run of the reference that depends only on this check's device and
        seed, the tensors in ``data`` and the plain values in ``params``. Computed once per
        grading run and kept in the plan's cache, so that the submissions (and checks) whose data
        are the same share it. ``key`` ends with the data's digest."""
        key = (name, str(self.device), self.seed, tuple(params), digest(*data))
        return make(key) if self.runs is None else self.runs.get(key, lambda: make(key))

    def generator(self, salt: str = "") -> torch.Generator:
        g = torch.Generator(device="cpu")
        g.manual_seed(derive_seed(self.seed, salt))
        return g

    def randn(self, *shape, dtype=torch.float32, salt: str = "", scale: float = 1.0) -> torch.Tensor:
        return (torch.randn(*shape, generator=self.generator(f"randn{shape}{salt}"), dtype=dtype)
                * scale).to(self.device)

    def randint(self, high: int, shape, salt: str = "") -> torch.Tensor:
        g = self.generator(f"randint{shape}{salt}")
        return torch.randint(0, high, shape, generator=g, dtype=torch.int64).to(self.device)

    def tensor(self, data, dtype=torch.float32) -> torch.Tensor:
        return torch.tensor(data, dtype=dtype, device=self.device)
