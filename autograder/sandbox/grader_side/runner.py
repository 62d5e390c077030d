"""Starts confined student processes from a warm template, and talks to them under deadlines."""
from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import socket
import struct
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from autograder.sandbox import protocol
from autograder.sandbox.student_side.confine import Policy
from autograder.sandbox.grader_side.forker import Template
from autograder.sandbox.errors import (ImportFailed, ReplyTooLarge, SandboxFault, StudentCrashed, StudentTimedOut,
                                       raised_error_from)


@dataclass(frozen=True)
class ProcessSpec:
    """Everything needed to start one student process."""

    submission: Path
    """The scratch copy of the student's file."""
    forbidden: tuple[str, ...]
    startup_timeout_s: float
    policy: Policy
    """Limits and confinement; policy.scratch is the folder the process runs in."""
    threads: int = 1
    harmless: tuple[str, ...] = ()
    """Packages that import as no-op stubs where they are not installed (plotting)."""
    noted: tuple[str, ...] = ()
    """APIs watched like the forbidden ones, whose use is only reported (advisory checks)."""
    import_seed: int = 0
    """The seed of every random stream when the file is imported, so that what a file draws (and
    prints) at import is the same on every grading."""
    operators: dict | None = None
    """What the student's functions may use (config.operators); None: no allowlist."""
    cells: tuple | None = None
    """A notebook's cells as (first line, last line, number) of the script; None for a .py."""
    statement_timeout_s: float = 10.0
    """Processor time of one top-level statement (or cell) at import."""
    reply_bytes: int = 64 * 2**20
    """The largest reply taken from the student process (limits.reply_mb)."""

    @property
    def workdir(self) -> Path:
        return Path(self.policy.scratch)


def _place(t, device: str):
    """Put a tensor from the student process on the device it came from, where we can."""
    if device == "cpu" or (device.startswith("cuda") and torch.cuda.is_available()):
        return t.to(device)
    return t


class StudentProcess:
    """One running student process. Any failure leaves it dead; start a new one."""

    def __init__(self, spec: ProcessSpec, output: "OutputLog | None" = None):
        self.spec = spec
        self.pid = 0
        self._protections: dict = {"in_force": [], "missing": []}
        self._student_pid = 0
        self.output = output or OutputLog()
        self.last_cpu_s: float | None = None
        """Processor time of the last request that got a reply."""
        req_read, self._req_write = os.pipe()
        self._rep_read, rep_write = os.pipe()
        self._status_read, status_write = os.pipe()
        log_fd = os.dup(self.output.fd)
        request = {"submission": str(spec.submission), "forbidden": [*spec.forbidden, *spec.noted],
                   "harmless": list(spec.harmless), "threads": spec.threads, "policy": asdict(spec.policy),
                   "import_seed": int(spec.import_seed), "operators": spec.operators,
                   "cells": [list(c) for c in spec.cells] if spec.cells else None,
                   "statement_timeout_s": spec.statement_timeout_s, "startup_timeout_s": spec.startup_timeout_s}
        started = time.monotonic()
        try:
            self.pid = Template.get().spawn(request, [req_read, rep_write, log_fd, status_write],
                                            spec.startup_timeout_s)
        except (OSError, socket.timeout) as exc:
            self._close_fds()
            raise SandboxFault(f"the grader could not start a student process ({exc})") from None
        finally:
            for fd in (req_read, rep_write, log_fd, status_write):
                os.close(fd)
        left = max(spec.startup_timeout_s - (time.monotonic() - started), 0.1)
        self.ready = self._await_ready(left)

    def _await_ready(self, timeout_s: float) -> dict:
        deadline = time.monotonic() + timeout_s
        confined = self.receive(timeout_s, fn=None)
        if confined.get("status") != "confined" or not isinstance(confined.get("protections"), dict):
            self.kill()
            raise SandboxFault(f"the student process did not report its confinement (got {str(confined)[:200]})")
        self._protections = _protections_from(confined["protections"])
        reply = self.receive(max(deadline - time.monotonic(), 0.1), fn=None)
        if reply.get("status") == "import_error":
            self.kill()
            raise ImportFailed(raised_error_from(reply.get("error")))
        return reply

    @property
    def functions(self) -> list[str]:
        names = self.ready.get("functions")
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []

    @property
    def top_level(self) -> list[dict]:
        """What went wrong in the file's top level, piece by piece (student_side/top_level.py), as the
        student process reported it: read as plain data, checked field by field."""
        out = []
        for item in (self.ready.get("top_level") or [])[:200] if isinstance(self.ready.get("top_level"), list) else []:
            if not isinstance(item, dict):
                continue
            try:
                out.append({"label": str(item["label"])[:40], "start": int(item["start"]), "line": int(item["line"]),
                            "kind": str(item["kind"]) if item["kind"] in ("syntax", "raised", "timeout") else "raised",
                            "type": str(item["type"])[:100], "message": str(item["message"])[:500],
                            "defines": [str(d)[:100] for d in item.get("defines", [])[:50] if isinstance(d, str)]})
            except (KeyError, TypeError, ValueError):
                continue
        return out

    @property
    def protections(self) -> dict:
        """What confined the process, as reported before the submission's code ran."""
        return self._protections

    def request(self, message: dict, timeout_s: float, fn: str, wall_s: float | None = None) -> dict:
        """Send a call and wait for its reply: at most ``timeout_s`` seconds of the student
        process's CPU time, and at most ``wall_s`` (default ``timeout_s``) of wall time."""
        try:
            protocol.write_frame(self._req_write, protocol.encode(message))
        except OSError:
            raise StudentCrashed(fn, self._death_note()) from None
        return self.receive(timeout_s, fn, wall_s)

    def receive(self, timeout_s: float, fn: str | None, wall_s: float | None = None) -> dict:
        limit = _Limit(timeout_s, wall_s or timeout_s, self._cpu_seconds)
        try:
            (size,) = struct.unpack("<Q", self._read(8, limit, fn))
            if size > min(protocol.MAX_FRAME_BYTES, self.spec.reply_bytes):
                # Refused before it is read: the grader's memory never holds it.
                self.kill()
                raise ReplyTooLarge(fn, f"{fn} sent back {size / 2**20:.0f} MB from one call, more than the grader "
                                        f"takes ({self.spec.reply_bytes / 2**20:.0f} MB, limits.reply_mb), so "
                                        "its process was stopped")
            if size < 8:
                raise protocol.ProtocolError(f"a reply of {size} bytes")
            head = self._read(8, limit, fn)
            (head_len,) = struct.unpack("<Q", head)
            if head_len > min(protocol.MAX_HEADER_BYTES, size - 8):
                # Refused before it is read: a forged header of hundreds of MB never reaches memory.
                raise protocol.ProtocolError(f"a reply header of {head_len} bytes")
            reply = protocol.decode(head + self._read(size - 8, limit, fn), place=_place)
        except (EOFError, protocol.ProtocolError) as exc:
            raise StudentCrashed(fn, self._death_note(exc)) from None
        if not isinstance(reply, dict):
            raise StudentCrashed(fn, self._death_note("a malformed reply"))
        used = self._cpu_seconds()
        self.last_cpu_s = None if used is None or limit.cpu_start is None else used - limit.cpu_start
        return reply

    def _read(self, n: int, limit: "_Limit", fn: str | None) -> bytes:
        chunks, remaining = [], n
        while remaining:
            ready = select.select([self._rep_read], [], [], limit.next_wait())[0]
            if not ready:
                why = limit.expired()
                if why:
                    self.kill()
                    raise StudentTimedOut(fn, limit.cpu_s, wall=why == "wall")
                continue
            chunk = os.read(self._rep_read, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _cpu_seconds(self) -> float | None:
        """CPU time the student process has used (read from /proc, never from the process)."""
        if not self._student_pid:
            try:
                with open(f"/proc/{self.pid}/task/{self.pid}/children") as f:
                    children = f.read().split()
                self._student_pid = int(children[0]) if children else 0
            except (OSError, ValueError):
                return None
        try:
            with open(f"/proc/{self._student_pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
        except (OSError, ValueError, IndexError):
            return None

    def _death_note(self, exc=None) -> str:
        """Why the process ended, as its shim saw it; the process is dead afterwards.

        Raises SandboxFault when the shim reported that it, or the confinement, failed."""
        note = self._status_note()
        self.kill()
        if isinstance(note.get("fault"), str):
            raise SandboxFault(f"{note['fault']} failed before the submission ran:\n"
                               f"{str(note.get('traceback', ''))[-8000:]}")
        if note.get("signal") == "SIGXCPU":
            return "it used up its CPU time limit"
        if note.get("signal"):
            return f"the process was killed by {note['signal']} (out of memory, or killed)"
        if "exit" in note:
            return f"the process exited with code {note['exit']}"
        return f"the process stopped answering ({exc})" if exc else "the process ended"

    def _status_note(self) -> dict:
        """The first JSON object on the status pipe (written by the trusted shim only)."""
        data = b""
        deadline = time.monotonic() + 2.0
        while self._status_read >= 0 and len(data) < 65536:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._status_read], [], [], left)[0]:
                break
            try:
                chunk = os.read(self._status_read, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        try:
            note, _ = json.JSONDecoder().raw_decode(data.decode("utf-8", "replace"))
        except ValueError:
            return {}
        return note if isinstance(note, dict) else {}

    def output_tail(self, limit: int = 2000) -> str:
        return self.output.tail(limit)

    def kill(self) -> None:
        """Kill the process, its shim and (through the pid namespace) all it started."""
        if self.pid:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and _exists(self.pid):
                time.sleep(0.005)
            self.pid = 0
        self._close_fds()

    def _close_fds(self) -> None:
        for name in ("_req_write", "_rep_read", "_status_read"):
            fd = getattr(self, name, -1)
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
            setattr(self, name, -1)

    @property
    def usable(self) -> bool:
        """Not yet known to be dead: every failure kills the process and closes its pipes."""
        return bool(self.pid) and self._rep_read >= 0


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class _Limit:
    """How long the grader waits for a reply: the student process's CPU time, so that a busy
    machine does not fail a correct student, and a wall-time cap for code that sleeps or
    starves. Where the CPU time cannot be read, the wall time alone."""

    def __init__(self, cpu_s: float, wall_s: float, cpu_seconds):
        self.cpu_s, self._cpu_seconds = cpu_s, cpu_seconds
        self._deadline = time.monotonic() + max(wall_s, cpu_s)
        self._cpu_deadline = time.monotonic() + cpu_s  # before this, CPU time cannot have run out
        self.cpu_start = cpu_seconds()

    def next_wait(self) -> float:
        now = time.monotonic()
        if now < self._cpu_deadline:
            return max(min(self._cpu_deadline, self._deadline) - now, 0.001)
        return max(min(0.25, self._deadline - now), 0.001)

    def expired(self) -> str | None:
        now = time.monotonic()
        if now >= self._deadline:
            return "wall"
        if now < self._cpu_deadline:
            return None
        used = self._cpu_seconds()
        if used is None or self.cpu_start is None:
            return "cpu"  # no CPU reading: the CPU limit counts as wall time
        return "cpu" if used - self.cpu_start >= self.cpu_s else None


class OutputLog:
    """What student processes print: an unnamed file that the grader opened itself, so that no
    path a student could replace (a symlink, a FIFO) is ever opened or read; shared by the
    restarts of one submission's process, and read back bounded."""

    def __init__(self):
        self._file = tempfile.TemporaryFile(prefix="autograder-output-")
        self.fd = self._file.fileno()
        fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) | os.O_APPEND)

    def tail(self, limit: int = 2000) -> str:
        try:
            size = os.fstat(self.fd).st_size
            data = os.pread(self.fd, limit, max(size - limit, 0))
        except (OSError, ValueError):
            return ""
        text = data.decode("utf-8", "replace")
        return ("…" + text) if size > limit else text

    def close(self) -> None:
        self._file.close()


def _protections_from(report: dict) -> dict:
    return {key: [item for item in report.get(key, []) if isinstance(item, str)]
            for key in ("in_force", "missing")}


def _exists(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
