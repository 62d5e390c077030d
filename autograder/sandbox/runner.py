"""Starts a student process and exchanges frames with it under deadlines."""
from __future__ import annotations

import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from autograder.sandbox import protocol
from autograder.sandbox.errors import (ImportFailed, RaisedError, StudentCrashed,
                                       StudentTimedOut)

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_BOOT = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
         "from autograder.sandbox.child import main; main(sys.argv[1:])")


@dataclass(frozen=True)
class ProcessSpec:
    """Everything needed to start one student process."""

    submission: Path
    """The scratch copy of the student's file."""
    workdir: Path
    """The scratch folder the process runs in; its output log lives here too."""
    forbidden: tuple[str, ...]
    output_bytes: int
    startup_timeout_s: float
    threads: int = 1


def _place(t, device: str):
    """Put a tensor from the student process on the device it came from, where we can."""
    if device == "cpu" or (device.startswith("cuda") and torch.cuda.is_available()):
        return t.to(device)
    return t


def _limit_child(output_bytes: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


class StudentProcess:
    """One running student process. Any failure leaves it dead; start a new one."""

    def __init__(self, spec: ProcessSpec):
        self.spec = spec
        self.log_path = spec.workdir / "output.log"
        req_read, self._req_write = os.pipe()
        self._rep_read, rep_write = os.pipe()
        payload = json.dumps({"submission": str(spec.submission), "forbidden": list(spec.forbidden),
                              "threads": spec.threads})
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(spec.workdir),
               "TMPDIR": str(spec.workdir), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8",
               "OMP_NUM_THREADS": str(spec.threads)}
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-c", _BOOT, _PACKAGE_PARENT, str(req_read), str(rep_write), payload],
                pass_fds=(req_read, rep_write), cwd=spec.workdir, env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_limit_child(spec.output_bytes))
        os.close(req_read)
        os.close(rep_write)
        self.ready = self._await_ready()

    def _await_ready(self) -> dict:
        reply = self.receive(self.spec.startup_timeout_s, fn=None)
        if reply.get("status") == "import_error":
            self.kill()
            err = reply["error"]
            raise ImportFailed(RaisedError(err["type"], err["message"], tuple(map(tuple, err["frames"]))))
        return reply

    @property
    def functions(self) -> list[str]:
        return list(self.ready.get("functions", []))

    def request(self, message: dict, timeout_s: float, fn: str) -> dict:
        try:
            protocol.write_frame(self._req_write, protocol.encode(message))
        except (BrokenPipeError, OSError):
            self.kill()
            raise StudentCrashed(fn, self._death_note()) from None
        return self.receive(timeout_s, fn)

    def receive(self, timeout_s: float, fn: str | None) -> dict:
        deadline = time.monotonic() + timeout_s
        try:
            (size,) = struct.unpack("<Q", self._read(8, deadline, fn, timeout_s))
            if size > protocol.MAX_FRAME_BYTES:
                raise protocol.ProtocolError(f"reply of {size} bytes is over the limit")
            frame = self._read(size, deadline, fn, timeout_s)
            reply = protocol.decode(frame, place=_place)
        except (EOFError, protocol.ProtocolError) as exc:
            self.kill()
            raise StudentCrashed(fn, self._death_note(exc)) from None
        if not isinstance(reply, dict):
            self.kill()
            raise StudentCrashed(fn, "the student process sent a malformed reply")
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

    def _death_note(self, exc: Exception | None = None) -> str:
        code = self.proc.wait(timeout=5) if self.proc.poll() is None else self.proc.returncode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the process was killed by {name}"
        if code is not None:
            return f"the process exited with code {code}"
        return f"the process stopped answering ({exc})"

    def output_tail(self, limit: int = 2000) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return ""
        text = data[-limit:].decode("utf-8", "replace")
        return ("…" + text) if len(data) > limit else text

    def kill(self) -> None:
        """Kill the process and everything it started in its session."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            if self.proc.poll() is None:
                self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for fd in (self._req_write, self._rep_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self._req_write = self._rep_read = -1

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None and self._rep_read >= 0
