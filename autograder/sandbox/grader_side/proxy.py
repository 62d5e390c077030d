"""The grader's handle on a student's module, in two parts: a :class:`StudentSession` (the process,
its limits, the seeds of its calls, what the watch saw) and its :class:`StudentFunctions`, the
student's functions and nothing else: ``student.linreg(X, w, b)`` runs remotely.

Calls cross to the student process as plain data. In-place changes to tensor
arguments (``sgd``) are copied back, and outputs that depend on tensors requiring
grad are re-attached to autograd: their backward asks the student process for
the vector-Jacobian product by re-running the function there.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch

from autograder.sandbox.errors import (WALL_FACTOR, BudgetExhausted, ImportFailed, MissingFunction, RaisedError,
                                       StudentCrashed, StudentRaised, StudentTimedOut, UnsupportedReturn, clean_text,
                                       raised_error_from)
from autograder.sandbox.protocol import TAMPERED
from autograder.sandbox.grader_side.runner import OutputLog, ProcessSpec, StudentProcess
from autograder.seeds import derive_seed


@dataclass(frozen=True)
class CallLimits:
    call_timeout_s: float
    submission_timeout_s: float
    max_items: int = 100_000
    check_timeout_s: float = float("inf")
    per_function: dict = field(default_factory=dict, compare=False)
    """Function -> the processor time one call of it may take, where the canary measured it (see
    calibrated_limits); call_timeout_s for the others."""

    def for_call(self, fn: str, calls: int = 1) -> float:
        """The processor time a request making ``calls`` calls of ``fn`` may take."""
        return min(self.call_timeout_s, self.per_function.get(fn, self.call_timeout_s) * max(calls, 1))


def calibrated_limits(measured: dict, call_timeout_s: float, factor: float, floor_s: float) -> dict:
    """Per-function call limits from the reference's slowest single call of each function (processor
    seconds): ``factor`` times that, at least ``floor_s`` and at most ``call_timeout_s``, rounded up
    to a power of two seconds, so that a run's limits (which the feedback quotes) do not move with
    the canary's timing noise."""
    if factor <= 0:
        return {}
    limits = {}
    for fn, seconds in measured.items():
        wanted = max(floor_s, factor * seconds)
        limits[fn] = min(call_timeout_s, max(floor_s, 2.0 ** math.ceil(math.log2(wanted))))
    return limits


@dataclass(frozen=True)
class ArgState:
    """A tensor argument as the student's function left it."""

    data: torch.Tensor
    grad: torch.Tensor | None
    requires_grad: bool
    is_leaf: bool


@dataclass
class CallRecord:
    fn: str
    seed: int
    arg_states: list = field(default_factory=list)
    """An ArgState (or None, if unchanged) for each tensor argument, nested like the arguments."""


@dataclass(frozen=True)
class Each:
    """An argument of ``call_stacked`` that differs per call: call i gets ``stack[i]``.

    With ``leaf``, call i gets a fresh leaf that requires grad (with ``.grad = grad[i]``),
    and the reply holds its gradient and what became of it.
    """

    stack: torch.Tensor
    leaf: bool = False
    grad: torch.Tensor | None = None


@dataclass(frozen=True)
class OnePass:
    """An argument that reaches the student's function as a one-pass iterator over ``items``, as a
    generator (the chapter's own data_iter) is: code that goes through it twice finds it empty."""

    items: list


@dataclass(frozen=True)
class LeafAfter:
    """What ``n`` calls left in one leaf argument: its values stacked, and whether, in every
    call, its gradient was cleared and it stayed a leaf that requires grad."""

    data: torch.Tensor
    cleared: bool
    requires_grad: bool
    is_leaf: bool


@dataclass(frozen=True)
class Stacked:
    """The replies of ``call_stacked``: results and gradients stacked along a new first dim."""

    result: torch.Tensor | None
    grads: tuple[torch.Tensor, ...]
    """One stack per leaf argument, in argument order."""
    after: tuple[LeafAfter, ...]


class StudentFunctions:
    """The student's functions as a namespace: ``student.linreg(X, w, b)`` is a call in the student's
    process. It has no attributes of its own, so a student's function may have any name (``call``,
    ``close``, ``memo``); what the grader needs of the process is on the session."""

    __slots__ = ("_session",)

    def __init__(self, session: StudentSession):
        object.__setattr__(self, "_session", session)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        session = object.__getattribute__(self, "_session")
        return lambda *args: session.call(name, *args)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"the student's functions are read-only (tried to set {name!r})")

    def __repr__(self) -> str:
        return f"<the functions of {object.__getattribute__(self, '_session').path.name}>"


class StudentSession:
    """One submission's process as the grader drives it: limits, seeds, what the watch saw, and
    facts that checks share. Restarts the process after a crash or a timeout."""

    def __init__(self, spec: ProcessSpec, limits: CallLimits, updates_in_place: frozenset = frozenset()):
        self._spec = spec
        self._limits = limits
        # Only these functions' changes to their arguments reach the grader's tensors: a linreg that
        # zeroes X in place must not change the X the check then hands to the reference.
        self._updates_in_place = updates_in_place
        self._process: StudentProcess | None = None
        self._output = OutputLog()
        self._import_error: ImportFailed | None = None
        self._deadline = time.monotonic() + limits.submission_timeout_s
        self._check_deadline = float("inf")
        self._seed_parts: tuple = ()
        self._counter = 0
        self.timed_out: dict[str, float] = {}
        self.forbidden_hits: dict[str, list[str]] = {}
        self.noted_calls: dict[str, list[str]] = {}
        """Student function -> APIs from the assignment's noted_calls that it used (no cost in points)."""
        self.call_cpu_s: dict[str, float] = {}
        """Student function -> the processor time of its slowest single call that returned (the canary's
        measure for calibrated_limits)."""
        self.tampering_hits: dict[str, list[str]] = {}
        """Student function -> how the run-time watch saw it switch the watch off."""
        self.last_call: CallRecord | None = None
        self.restarts = 0
        self.protections: dict = {}
        """What confined the student process: {"in_force": [...], "missing": [...]}."""
        self.top_level: list[dict] | None = None
        """What went wrong in the file's top level when it was first imported, piece by piece."""
        self.memo: dict = {}
        """Facts about this submission that checks share (what a function did on given inputs)."""
        self.functions = StudentFunctions(self)
        """What a check calls: ``session.functions.linreg(X, w, b)``."""

    @property
    def path(self):
        """The submission's file (a copy, in the session's scratch folder)."""
        return self._spec.submission

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> StudentProcess:
        if self._import_error is not None:
            raise self._import_error
        if self._process is not None and self._process.usable:
            return self._process
        if self._process is not None:
            self.restarts += 1
        self._check_budget(None)
        try:
            self._process = StudentProcess(self._spec, self._output)
        except ImportFailed as exc:
            self._import_error = exc
            raise
        except StudentTimedOut as exc:
            self._import_error = ImportFailed(RaisedError(
                "Timeout", f"importing your file took longer than {exc.seconds:g} s", ()))
            raise self._import_error from None
        self.protections = self._process.protections
        if self.top_level is None:
            self.top_level = self._process.top_level
        for name in self._process.ready.get("import_hits", []):
            self._note_hits("<module>", [name])
        return self._process

    def abandon(self) -> None:
        """Kill the process in whatever state it is; the next call starts a fresh one."""
        if self._process is not None:
            self._process.kill()

    def close(self) -> None:
        self.abandon()
        self._output.close()

    def output_tail(self) -> str:
        return self._output.tail()

    def begin_check(self, *seed_parts) -> None:
        """Calls made from now on draw seeds from these parts, so grading repeats exactly."""
        self._seed_parts = seed_parts
        self._counter = 0
        self._check_deadline = time.monotonic() + self._limits.check_timeout_s

    def draw_seed(self, fn: str) -> int:
        """The seed a call of ``fn`` would get now, used up as if the call were made.

        Seeding a reference call with it gives the reference the random stream the student's
        function would have had, so that correct code yields the same data on both sides.
        """
        seed = derive_seed(*self._seed_parts, fn, self._counter)
        self._counter += 1
        return seed

    def seed_mark(self) -> int:
        """Where the seed sequence of this check stands; see rewind_seeds."""
        return self._counter

    def rewind_seeds(self, mark: int) -> None:
        """Draw the same seeds again from ``mark``, to give a reference run the same random
        streams that the student's calls had."""
        self._counter = mark

    # -- calls ---------------------------------------------------------------
    def call(self, fn: str, *args, passes: int = 1):
        """``fn(*args)`` in the student's process. With ``passes`` (2 to 4), what it returned is
        iterated that many times, and the result is one list per pass: a DataLoader's order on each
        pass, or a generator's second pass, empty."""
        seed = derive_seed(*self._seed_parts, fn, self._counter)
        self._counter += 1
        message = {"fn": fn, "args": [_wire(a) for a in args], "seed": seed, "return_args": True,
                   "max_items": self._limits.max_items}
        if passes != 1:
            message["passes"] = passes
        reply = self._request(fn, message, max(passes, 1))
        self.last_call = CallRecord(fn, seed, self._apply_in_place(list(args), reply.get("args_after"),
                                                                   fn in self._updates_in_place))
        result = reply.get("result")
        wrt = _requiring_grad(args)
        if wrt and isinstance(result, torch.Tensor) and result.is_floating_point():
            result = _Reattach.apply(result, self, fn, list(args), seed, wrt, *[args[i] for i in wrt])
        return result

    def call_stacked(self, fn: str, args: list, n: int, *, grad_output: torch.Tensor | None = None,
                     result: bool = True, after: bool = False) -> Stacked | None:
        """Run ``fn`` ``n`` times in one round trip, on arguments given as :class:`Each` stacks
        (or constants), for verifying a function along a known trajectory.

        With ``grad_output`` (stacked), the reply holds each leaf argument's gradient; with
        ``after``, what each leaf argument became. Returns None when any call was irregular (an
        error, a timeout, results of uneven shapes): the caller then calls one by one, which
        reports exactly what went wrong.
        """
        process = self._process_for(fn)
        seed = derive_seed(*self._seed_parts, fn, "stacked", self._counter)
        self._counter += 1
        message = {"fn": fn, "n": int(n), "args": [_wire(a) for a in args], "seed": seed,
                   "grad_output": grad_output, "result": result, "after": after}
        try:
            reply = process.request(message, self._check_budget(fn, n), fn)
        except (StudentTimedOut, StudentCrashed):
            return None
        self._take_reply(fn, reply)
        if reply.get("status") != "ok":
            return None
        try:
            out = reply.get("result")
            grads = tuple(reply.get("grads") or ())
            leaves = tuple(LeafAfter(a["data"], a["cleared"] is True, a["requires_grad"] is True,
                                     a["is_leaf"] is True) for a in reply.get("after") or ())
        except (KeyError, TypeError):
            return None
        tensors = ([out] if result else []) + list(grads) + [a.data for a in leaves]
        if not all(isinstance(t, torch.Tensor) and t.shape[:1] == (n,) for t in tensors):
            return None
        return Stacked(out if result else None, grads, leaves)

    def vjp(self, fn: str, args: list, seed: int, wrt: list[int], grad_output: torch.Tensor) -> list:
        sent = [a.detach().requires_grad_(True) if i in wrt else
                (a.detach() if isinstance(a, torch.Tensor) else a) for i, a in enumerate(args)]
        reply = self._request(fn, {"fn": fn, "args": sent, "seed": seed,
                                   "vjp": {"wrt": wrt, "grad_output": grad_output}})
        grads = reply.get("grads")
        return list(grads) if grads is not None else [None] * len(wrt)

    def _process_for(self, fn: str) -> StudentProcess:
        """A live process that has ``fn``, unless ``fn`` already timed out or does not exist."""
        if fn in self.timed_out:
            raise StudentTimedOut(fn, self.timed_out[fn], earlier=True)
        process = self.start()
        if fn not in process.functions:
            raise MissingFunction(fn, next((f for f in self.top_level if fn in f["defines"]), None))
        return process

    def _request(self, fn: str, message: dict, calls: int = 1) -> dict:
        # The limit is CPU time, with a wall-time cap of WALL_FACTOR times it. A call stopped by the
        # cap (it slept, or a busy machine starved it) is tried once more in a fresh process
        # before it is blamed.
        for attempt in (1, 2):
            process = self._process_for(fn)
            timeout = self._check_budget(fn, calls)
            wall = min(timeout * WALL_FACTOR, self._time_left())
            try:
                reply = process.request(message, timeout, fn, wall)
                break
            except StudentTimedOut as exc:
                if timeout < self._limits.for_call(fn, calls) or wall < timeout * WALL_FACTOR:
                    self._check_budget(fn)  # raises BudgetExhausted naming the limit that ran out
                if not exc.wall or attempt == 2:
                    self.timed_out[fn] = exc.seconds
                    raise StudentTimedOut(fn, exc.seconds, wall=exc.wall, retried=attempt == 2) from None
        self._take_reply(fn, reply)
        if calls == 1 and process.last_cpu_s is not None:
            self.call_cpu_s[fn] = max(self.call_cpu_s.get(fn, 0.0), process.last_cpu_s)
        status = reply.get("status")
        if status == "raised":
            raise StudentRaised(fn, raised_error_from(reply.get("error")))
        if status == "missing":
            raise MissingFunction(fn, next((f for f in self.top_level or [] if fn in f["defines"]), None))
        if status == "unsupported":
            raise UnsupportedReturn(fn, reply.get("what", "something that is not a tensor"))
        return reply

    def _time_left(self) -> float:
        now = time.monotonic()
        return max(min(self._deadline - now, self._check_deadline - now), 0.001)

    def _check_budget(self, fn: str | None, calls: int = 1) -> float:
        """The time the next call may take; BudgetExhausted when the submission's or the
        check's wall-time limit has run out."""
        now = time.monotonic()
        if self._deadline - now <= 0:
            raise BudgetExhausted(fn, f"your submission used up its total time limit "
                                      f"({self._limits.submission_timeout_s:g} s)")
        if self._check_deadline - now <= 0:
            raise BudgetExhausted(fn, f"this check took longer than its limit of {self._limits.check_timeout_s:g} s")
        startup = self._spec.startup_timeout_s if fn is None else self._limits.for_call(fn, calls)
        return min(startup, self._deadline - now, self._check_deadline - now)

    def _take_reply(self, fn: str, reply: dict) -> None:
        self._note_hits(fn, reply.get("hits", []))
        if reply.get("ended") is True:  # it found its watch switched off and will serve no more calls
            self.abandon()

    def _note_hits(self, fn: str, hits) -> None:
        for hit in (hits if isinstance(hits, list) else [])[:50]:
            if not isinstance(hit, str):
                continue
            hit = clean_text(hit, 200)
            if hit.startswith(TAMPERED):
                hit, kept = hit[len(TAMPERED):], self.tampering_hits
            else:
                kept = self.noted_calls if hit in self._spec.noted else self.forbidden_hits
            seen = kept.setdefault(fn, [])
            if hit not in seen:
                seen.append(hit)

    @staticmethod
    def _apply_in_place(args: list, states, copy_back: bool) -> list:
        """What the call did to each tensor argument; with ``copy_back``, those changes are made to
        the grader's tensors too, as a local call would have made them."""
        out = []
        if not isinstance(states, list):
            return out
        for arg, state in zip(args, states):
            if isinstance(arg, (list, tuple)) and isinstance(state, list):
                out.append(StudentSession._apply_in_place(list(arg), state, copy_back))
            elif isinstance(arg, torch.Tensor) and isinstance(state, tuple) and len(state) == 5:
                _, data, grad, requires_grad, is_leaf = state
                if copy_back:
                    if isinstance(data, torch.Tensor) and data.shape == arg.shape and data.dtype == arg.dtype:
                        with torch.no_grad():
                            arg.copy_(data.to(arg.device))
                    if arg.is_leaf and arg.requires_grad:
                        valid = isinstance(grad, torch.Tensor) and grad.shape == arg.shape
                        arg.grad = grad.to(device=arg.device, dtype=arg.dtype) if valid else None
                out.append(ArgState(data, grad, bool(requires_grad), bool(is_leaf)))
            else:
                out.append(None)
        return out


def _wire(arg):
    """An argument as plain data (Each for call_stacked, OnePass for any call)."""
    if isinstance(arg, OnePass):
        return {"__one_pass__": [_wire(a) for a in arg.items]}
    if isinstance(arg, Each):
        return {"__each__": arg.stack.detach(), "leaf": arg.leaf,
                "grad": None if arg.grad is None else arg.grad.detach()}
    if isinstance(arg, (list, tuple)):
        return type(arg)(_wire(a) for a in arg)
    return arg


def _requiring_grad(args) -> list[int]:
    return [i for i, a in enumerate(args) if isinstance(a, torch.Tensor) and a.requires_grad]


class _Reattach(torch.autograd.Function):
    """Gives a remote result a backward that asks the student process for the gradient."""

    @staticmethod
    def forward(ctx, result, session, fn, args, seed, wrt, *diff_inputs):
        ctx.remote = (session, fn, args, seed, wrt)
        return result.clone()

    @staticmethod
    def backward(ctx, grad_output):
        session, fn, args, seed, wrt = ctx.remote
        grads = session.vjp(fn, args, seed, wrt, grad_output)
        shaped = []
        for grad, index in zip(grads, wrt):
            ok = isinstance(grad, torch.Tensor) and grad.shape == args[index].shape
            shaped.append(grad.to(device=args[index].device, dtype=args[index].dtype) if ok else None)
        return (None, None, None, None, None, None, *shaped)
