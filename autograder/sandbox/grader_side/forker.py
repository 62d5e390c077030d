"""The grader's handle on the warm template process (template.py), which forks student processes.

Imports no torch, so that the grader can start the template first and both import torch at once.
"""
from __future__ import annotations

import atexit
import itertools
import json
import multiprocessing
import os
import socket
import subprocess
import sys
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
        self._turn = multiprocessing.get_context("fork").Lock() if _CAN_FORK else threading.Lock()
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
        with self._turn:
            try:
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
        # It holds nothing worth a clean exit, and tearing down torch takes a while.
        self.proc.kill()
        self.proc.wait()
