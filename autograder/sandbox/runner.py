"""Starts confined student processes from a warm template, and talks to them under deadlines."""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from autograder.sandbox import protocol
from autograder.sandbox.confine import Policy
from autograder.sandbox.forker import Template
from autograder.sandbox.errors import ImportFailed, RaisedError, StudentCrashed, StudentTimedOut

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
    noted: tuple[str, ...] = ()
    """APIs watched like the forbidden ones, whose use is only reported (advisory checks)."""
    """Packages that import as no-op stubs where they are not installed (plotting)."""

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

    def __init__(self, spec: ProcessSpec):
        self.spec = spec
        self.pid = 0
        self.log_path = spec.workdir / "output.log"
        req_read, self._req_write = os.pipe()
        self._rep_read, rep_write = os.pipe()
        self._status_read, status_write = os.pipe()
        log_fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        request = {"submission": str(spec.submission), "forbidden": [*spec.forbidden, *spec.noted],
                   "harmless": list(spec.harmless), "threads": spec.threads, "policy": asdict(spec.policy)}
        started = time.monotonic()
        try:
            self.pid = Template.get().spawn(request, [req_read, rep_write, log_fd, status_write],
                                            spec.startup_timeout_s)
        except (OSError, socket.timeout) as exc:
            self._close_fds()
            raise StudentCrashed(None, f"the grader could not start a student process ({exc})") from None
        finally:
            for fd in (req_read, rep_write, log_fd, status_write):
                os.close(fd)
        left = max(spec.startup_timeout_s - (time.monotonic() - started), 0.1)
        self.ready = self._await_ready(left)

    def _await_ready(self, timeout_s: float) -> dict:
        reply = self.receive(timeout_s, fn=None)
        if reply.get("status") == "import_error":
            self.kill()
            err = reply["error"]
            raise ImportFailed(RaisedError(err["type"], err["message"], tuple(map(tuple, err["frames"]))))
        return reply

    @property
    def functions(self) -> list[str]:
        return list(self.ready.get("functions", []))

    @property
    def protections(self) -> dict:
        return dict(self.ready.get("protections") or {})

    def request(self, message: dict, timeout_s: float, fn: str) -> dict:
        try:
            protocol.write_frame(self._req_write, protocol.encode(message))
        except OSError:
            raise StudentCrashed(fn, self._death_note()) from None
        return self.receive(timeout_s, fn)

    def receive(self, timeout_s: float, fn: str | None) -> dict:
        deadline = time.monotonic() + timeout_s
        try:
            (size,) = struct.unpack("<Q", self._read(8, deadline, fn, timeout_s))
            if size > protocol.MAX_FRAME_BYTES:
                raise protocol.ProtocolError(f"reply of {size} bytes is over the limit")
            reply = protocol.decode(self._read(size, deadline, fn, timeout_s), place=_place)
        except (EOFError, protocol.ProtocolError) as exc:
            raise StudentCrashed(fn, self._death_note(exc)) from None
        if not isinstance(reply, dict):
            raise StudentCrashed(fn, self._death_note("a malformed reply"))
        return reply

    def _read(self, n: int, deadline: float, fn: str | None, timeout_s: float) -> bytes:
        chunks, remaining = [], n
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._rep_read], [], [], left)[0]:
                self.kill()
                raise StudentTimedOut(fn, timeout_s)
            chunk = os.read(self._rep_read, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _death_note(self, exc=None) -> str:
        """Why the process ended, as its shim saw it; the process is dead afterwards."""
        note = {}
        if self._status_read >= 0 and select.select([self._status_read], [], [], 2.0)[0]:
            try:
                note = json.loads(os.read(self._status_read, 4096) or b"{}")
            except (OSError, ValueError):
                note = {}
        self.kill()
        if note.get("signal") == "SIGXCPU":
            return "it used up its CPU time limit"
        if note.get("signal"):
            return f"the process was killed by {note['signal']} (out of memory, or killed)"
        if "exit" in note:
            return f"the process exited with code {note['exit']}"
        return f"the process stopped answering ({exc})" if exc else "the process ended"

    def output_tail(self, limit: int = 2000) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return ""
        text = data[-limit:].decode("utf-8", "replace")
        return ("…" + text) if len(data) > limit else text

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
