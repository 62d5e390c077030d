"""The grader's handle on the warm template process (template.py), which forks student processes.

Imports no torch, so that the grader can start the template first and both import torch at once.
"""
from __future__ import annotations

import atexit
import contextlib
import fcntl
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[3])  # the folder holding the autograder package
_CAN_FORK = sys.platform.startswith("linux")
"""Forked workers share the grader's imports and its template; elsewhere they are spawned."""
_BOOT = ("import sys; sys.path.insert(0, sys.argv.pop(1)); exec(sys.argv.pop(1)); "
         "from autograder.sandbox.student_side.template import main; main(sys.argv[1:])")


class Template:
    """The warm template process. One per grading run: worker processes forked from the
    grader share it, and take turns on its socket."""

    _current: "Template | None" = None

    def __init__(self, prelude: str = ""):
        """``prelude``: Python code the template runs before it imports torch; the kit's tests use
        it to give the template what a CUDA build has (a 20 GB address-space reservation) and to
        watch which torch entry points it calls."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
               "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1", "HOME": "/nonexistent",
               **{k: v for k, v in os.environ.items()
                  if k.startswith(("CUDA_", "NVIDIA_", "LD_LIBRARY")) or k == "AUTOGRADER_RUN"}}
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, _PACKAGE_PARENT, prelude, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), env=env, cwd="/", stdin=subprocess.DEVNULL,
            start_new_session=True)
        theirs.close()
        self.sock = ours
        self.owner = os.getpid()
        # A request and its reply must not interleave with another worker's.
        self.turn = Turn()
        self.broken = False
        self._tickets = itertools.count()

    @classmethod
    def replace(cls, template: "Template | None") -> None:
        """Use ``template`` from now on (None: start a fresh one when next needed)."""
        if cls._current is not None:
            cls._current.close()
        cls._current = template
        if template is not None:
            atexit.register(template.close)

    @classmethod
    def get(cls) -> "Template":
        current = cls._current
        if current is None or current.broken or (current.owner == os.getpid() and current.proc.poll() is not None):
            cls._current = current = Template()
            atexit.register(current.close)
        return current

    def spawn(self, spec: dict, fds: list[int], timeout_s: float) -> int:
        # The ticket tells this reply from a late one to a request that timed out.
        ticket = f"{os.getpid()}-{next(self._tickets)}"
        deadline = time.monotonic() + timeout_s
        try:
            with self.turn.held(deadline):
                socket.send_fds(self.sock, [json.dumps({**spec, "ticket": ticket}).encode()], fds)
                while True:
                    self.sock.settimeout(max(deadline - time.monotonic(), 0.001))
                    try:
                        reply = self.sock.recv(4096)
                    finally:
                        self.sock.settimeout(None)
                    if not reply:
                        raise OSError("the template process ended")
                    answer = json.loads(reply)
                    if answer.get("ticket") == ticket:
                        return int(answer["pid"])
        except OSError:
            self.broken = True
            raise

    def close(self) -> None:
        if self.owner != os.getpid():
            return
        self.sock.close()
        self.turn.close()
        # It holds nothing worth a clean exit, and tearing down torch takes a while.
        self.proc.kill()
        self.proc.wait()


class Turn:
    """Whose turn it is on the template's socket, among the forked workers and their threads.

    A record lock (fcntl) is let go by the kernel when the process holding it dies; a semaphore
    is not. A worker killed in mid-request (by the out-of-memory killer, or by a broken pool's
    clean-up) would otherwise leave every other worker, and the grader, waiting forever.
    """

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # record locks belong to processes, so forks share it safely
        self._pid = os.getpid()
        self._threads = threading.Lock()  # record locks do not exclude the threads of one process

    @contextlib.contextmanager
    def held(self, deadline: float):
        """Hold the turn until the block ends; TimeoutError if it is not ours by ``deadline`` (monotonic)."""
        if self._pid != os.getpid():  # a fork copies the thread lock as it was, held or not
            self._pid, self._threads = os.getpid(), threading.Lock()
        if not self._threads.acquire(timeout=max(deadline - time.monotonic(), 0.001)):
            raise TimeoutError("another thread held the template's socket too long")
        try:
            self._lock_file(deadline)
            try:
                yield
            finally:
                fcntl.lockf(self._file, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        self._file.close()

    def _lock_file(self, deadline: float) -> None:
        pause = 0.001
        while True:
            try:
                fcntl.lockf(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except (BlockingIOError, PermissionError):  # EAGAIN or EACCES: another process holds it
                if time.monotonic() >= deadline:
                    raise TimeoutError("another grading worker held the template's socket too long") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
