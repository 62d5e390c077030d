"""The warm template: imports torch once, then forks a confined student process per request.

    grader worker --(spawn request + pipe fds over a unix socket)--> template
    template --fork--> shim: new session; user, net, pid, IPC and UTS namespaces; subreaper
    shim --fork--> student process: PID 1 of its namespace; own /proc; rlimits; Landlock; serves calls

Forking from a process that has already imported torch makes a student process start in
milliseconds instead of seconds. The forked child is single-threaded, which unshare needs.
Neither CUDA nor autograd's engine is ever started here: once a process has started either,
its forked children can use neither (autograd: "Unable to handle autograd's threading in
combination with fork-based multiprocessing"). Only the student process starts them.

A failure of the shim or of the confinement is the grading machine's, not the student's: its
traceback goes to the grader through the status pipe, and the grader logs it.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import traceback

import torch

from autograder.sandbox.student_side import child, confine


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
            except BaseException:  # noqa: BLE001 - reported to the grader, which logs it
                _report_fault(fds[3], "the student process's shim", traceback.format_exc())
            finally:
                os._exit(70)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid, "ticket": spec.get("ticket")}).encode())


def _warm_up() -> None:
    """Import and run once what every student process needs, so that forks find it ready.

    Forward only: a backward pass would start autograd's engine, and where a GPU is visible
    its device threads, after which no forked child may use autograd.
    """
    from autograder.operators import allowlist
    from autograder.sandbox.student_side.scratch_guard import ScratchGuard
    # What autograd imports on its first backward (sympy, half a second), imported without one.
    import torch.fx.experimental.symbolic_shapes  # noqa: F401
    guard = ScratchGuard([], operators={None: allowlist(["elementary"])})
    function_mode, dispatch_mode = guard.modes(guard.window("warm-up"))
    for dtype in (torch.float32, torch.float64):
        w = torch.ones(2, 1, dtype=dtype, requires_grad=True)
        with function_mode, dispatch_mode:
            ((torch.ones(2, 2, dtype=dtype) @ w + 1) ** 2 / 2).sum()
        with torch.no_grad():
            w -= 0.1 * w


def _report_fault(status_fd: int, where: str, text: str) -> None:
    """Tell the grader, through the status pipe, that ``where`` failed, with its traceback."""
    try:
        os.write(status_fd, json.dumps({"exit": 70, "fault": where, "traceback": text[-8000:]}).encode())
    except OSError:
        pass


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
    confine.join_fresh_keyring(protections)
    isolated = confine.enter_namespaces(policy, protections)
    confine.become_subreaper()
    if not isolated:
        protections.missing.append("processes the submission starts in a new session may outlive it "
                                   "(no pid namespace); the grader kills those it can find")
    inner = os.fork()
    if inner == 0:
        try:
            confine.die_with_parent()
            if isolated and confine.mount_own_proc(protections):
                confine.mount_own_scratch(policy, protections)
            elif not isolated:
                protections.missing.append("disk use in the scratch folder is not bounded (no mount namespace)")
            confine.limit_resources(policy, protections)
            confine.restrict_filesystem(policy, protections)
            child.start_devices(policy, protections)
            confine.filter_system_calls(policy, protections)
            os.close(status_write)
        except BaseException:  # noqa: BLE001 - the grading machine's fault, not the student's
            _report_fault(status_write, "confining the student process", traceback.format_exc())
            os._exit(70)
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
