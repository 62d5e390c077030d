"""The warm template: imports torch once, then forks a confined student process per request.

    grader worker --(spawn request + pipe fds over a unix socket)--> template
    template --fork--> shim: new session; user, net and pid namespaces; subreaper
    shim --fork--> student process: PID 1 of its namespace; rlimits; Landlock; serves calls

Forking from a process that has already imported torch makes a student process start in
milliseconds instead of seconds. The forked child is single-threaded, which unshare needs.
CUDA is never touched here: only the student process initialises it, if a check asks.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys

import torch

from autograder.sandbox import child, confine


def main(argv: list[str]) -> None:
    control = socket.socket(fileno=int(argv[0]))
    torch.set_num_threads(1)
    _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # shims are reaped by the kernel
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 20, 4)
        except OSError:
            return
        if not message:
            return
        spec = json.loads(message)
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                _shim(spec, fds)
            finally:
                os._exit(70)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid, "ticket": spec.get("ticket")}).encode())


def _warm_up() -> None:
    """Import and run once what every student process needs, so that forks find it ready."""
    from autograder.sandbox.scratch_guard import ScratchGuard
    function_mode, dispatch_mode = ScratchGuard([]).modes()
    for dtype in (torch.float32, torch.float64):
        w = torch.ones(2, 1, dtype=dtype, requires_grad=True)
        with function_mode, dispatch_mode:
            loss = ((torch.ones(2, 2, dtype=dtype) @ w + 1) ** 2 / 2).sum()
        torch.autograd.grad(loss, [w], grad_outputs=torch.ones((), dtype=dtype), allow_unused=True)
        with torch.no_grad():
            w -= 0.1 * w


def _shim(spec: dict, fds: list[int]) -> None:
    req_read, rep_write, log_fd, status_write = fds
    os.setsid()
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    confine.die_with_parent()
    policy = confine.Policy.from_dict(spec["policy"])
    os.chdir(policy.scratch)
    os.environ.update(HOME=policy.scratch, TMPDIR=policy.scratch, MPLCONFIGDIR=policy.scratch, MPLBACKEND="Agg")
    protections = confine.Protections()
    isolated = confine.enter_namespaces(policy, protections)
    confine.become_subreaper()
    if not isolated:
        protections.missing.append("processes the submission starts in a new session may outlive it "
                                   "(no pid namespace); the grader kills those it can find")
    inner = os.fork()
    if inner == 0:
        os.close(status_write)
        confine.die_with_parent()
        confine.limit_resources(policy, protections)
        confine.restrict_filesystem(policy, protections)
        child.serve(req_read, rep_write, spec, protections.as_dict())
        os._exit(0)
    os.close(req_read)
    os.close(rep_write)
    _, status = os.waitpid(inner, 0)
    _kill_descendants()
    if os.WIFSIGNALED(status):
        note = {"signal": signal.Signals(os.WTERMSIG(status)).name}
    else:
        note = {"exit": os.WEXITSTATUS(status)}
    os.write(status_write, json.dumps(note).encode())
    os._exit(0)


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _kill_descendants() -> None:
    """As a subreaper, every orphan of the student's process tree becomes our child: kill them."""
    me = os.getpid()
    for _ in range(50):
        children = _children_of(me)
        if not children:
            return
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


if __name__ == "__main__":
    main(sys.argv[1:])
