"""Confining the student process with the operating system's own mechanisms.

Each step reports whether it is in force; a step that is not available (another OS, an
old kernel, a disabled feature) is skipped, and the report says so, so that grading goes
on and the instructor knows which protections were missing.
"""
from __future__ import annotations

import ctypes
import glob
import os
import platform
import resource
import signal
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox.student_side import landlock, seccomp

_CLONE_NEWUSER, _CLONE_NEWNET, _CLONE_NEWPID = 0x10000000, 0x40000000, 0x20000000
_CLONE_NEWNS, _CLONE_NEWIPC, _CLONE_NEWUTS = 0x00020000, 0x08000000, 0x04000000
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REC, _MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36
_SYS_KEYCTL = {"x86_64": 250, "aarch64": 219}


@dataclass(frozen=True)
class Policy:
    """What the student process may use; built by the grader from grading.toml."""

    scratch: str
    memory_bytes: int
    cpu_seconds: int
    max_processes: int
    output_bytes: int
    landlock: bool = True
    namespaces: bool = True
    devices: tuple[str, ...] = ("cpu",)
    """The devices this process computes on; a process with "cuda" gets the GPU's device files."""
    extra_read: tuple[str, ...] = ()
    gpu_memory_bytes: int = 0
    """The most GPU memory the process's allocator may hold (0: no cap)."""
    scratch_bytes: int = 64 * 2**20
    """The size of the scratch folder's own tmpfs, where the process may write."""
    seccomp: bool = True

    @classmethod
    def from_dict(cls, data: dict) -> "Policy":
        return cls(**{**data, "devices": tuple(data.get("devices", ())),
                      "extra_read": tuple(data.get("extra_read", ()))})


@dataclass
class Protections:
    """Reported by the trusted shim and the confining code, never by the student's own code."""

    in_force: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Each entry: what is not protected, and why."""

    def as_dict(self) -> dict:
        return {"in_force": list(self.in_force), "missing": list(self.missing)}


_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def enter_namespaces(policy: Policy, protections: Protections) -> bool:
    """New user, network, pid, IPC and UTS namespaces for this (single-threaded) process's children."""
    if not policy.namespaces:
        protections.missing.append("namespaces: switched off in grading.toml [sandbox]")
        return False
    if _libc is None:
        protections.missing.append(f"namespaces: not available on {sys.platform}")
        return False
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET | _CLONE_NEWPID | _CLONE_NEWIPC | _CLONE_NEWUTS) != 0:
        why = os.strerror(ctypes.get_errno())
        protections.missing.append(f"network and process isolation (user/net/pid namespaces): unshare failed: {why}")
        return False
    try:
        for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                           ("/proc/self/gid_map", f"{gid} {gid} 1")):
            with open(path, "w") as f:
                f.write(text)
    except OSError as exc:
        protections.missing.append(f"user namespace id map: {exc.strerror}")
    protections.in_force.append("no network (a network namespace without interfaces)")
    protections.in_force.append("own pid namespace: every process the submission starts dies with it")
    protections.in_force.append("own IPC and UTS namespaces: no shared memory or semaphores with other processes")
    return True


def mount_own_proc(protections: Protections) -> bool:
    """In the new pid namespace, a /proc that shows only this namespace's processes.

    Runs in the student process (PID 1 of its namespace) before Landlock. CUDA needs it: with
    the parent's /proc, the driver cannot find the process (error 304). It also keeps the
    grader's and other students' processes out of sight.
    """
    if _libc is None or os.getpid() != 1:
        return False
    if _libc.unshare(_CLONE_NEWNS) != 0 or _libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        protections.missing.append(f"own /proc: no mount namespace ({os.strerror(ctypes.get_errno())})")
        return False
    if _libc.mount(b"proc", b"/proc", b"proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC, None) != 0:
        protections.missing.append(f"own /proc: mounting it failed ({os.strerror(ctypes.get_errno())})")
        return False
    protections.in_force.append("own /proc: other processes on the machine are not visible")
    return True


def mount_own_scratch(policy: Policy, protections: Protections) -> None:
    """Put the scratch folder on a tmpfs of its own, in the student's mount namespace, with the
    submission copied in: what the student writes is bounded in size, and never reaches the
    grader's folder (no symlink, FIFO or chmod there can touch the grader)."""
    files = {}
    for entry in os.scandir(policy.scratch):
        if entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as f:
                files[entry.name] = f.read()
    options = f"size={policy.scratch_bytes},mode=0700,uid={os.getuid()},gid={os.getgid()}".encode()
    if _libc.mount(b"tmpfs", policy.scratch.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options) != 0:
        protections.missing.append(f"disk use in the scratch folder is not bounded: mounting a tmpfs failed "
                                   f"({os.strerror(ctypes.get_errno())})")
        return
    for name, data in files.items():
        with open(os.path.join(policy.scratch, name), "wb") as f:
            f.write(data)
    os.chdir(policy.scratch)  # the working folder was the one beneath the new tmpfs
    protections.in_force.append(f"scratch folder: its own tmpfs of {policy.scratch_bytes // 2**20} MiB, "
                                "invisible to the grader")


def join_fresh_keyring(protections: Protections) -> None:
    """A new, empty session keyring, so that the grader's keys (tokens) are out of reach."""
    if _libc is None:
        return
    keyctl_join_session_keyring = 1
    if _libc.syscall(_SYS_KEYCTL.get(platform.machine(), -1), keyctl_join_session_keyring, None) < 0:
        protections.missing.append(f"own session keyring: keyctl failed ({os.strerror(ctypes.get_errno())})")
    else:
        protections.in_force.append("own, empty session keyring")


def filter_system_calls(policy: Policy, protections: Protections) -> None:
    """The seccomp filter (seccomp.py), last of all, just before the submission is imported."""
    if not policy.seccomp:
        protections.missing.append("system call filter (seccomp): switched off in grading.toml [sandbox]")
        return
    # The NVIDIA driver talks to its daemons over unix sockets: a CUDA process keeps them.
    block_unix = "cuda" not in policy.devices
    try:
        seccomp.install(block_unix_sockets=block_unix)
    except (seccomp.SeccompError, OSError, AttributeError) as exc:
        protections.missing.append(f"system call filter (seccomp): {exc}")
        return
    protections.in_force.append("system calls for keyrings, eBPF, io_uring, ptrace, mounts and namespaces fail "
                                "(seccomp)")
    if block_unix:
        protections.in_force.append("no unix sockets by path, such as docker.sock or D-Bus (seccomp)")
    else:
        protections.missing.append("unix sockets by path stay open in the CUDA process (its driver uses them)")


def in_own_user_namespace() -> bool:
    """True in a user namespace whose process counts start afresh (Linux >= 5.14)."""
    try:
        with open("/proc/self/uid_map") as f:
            whole_range = f.read().split() == ["0", "0", "4294967295"]
        release = tuple(int(x) for x in platform.release().split(".")[:2])
    except (OSError, ValueError):
        return False
    return not whole_range and release >= (5, 14)


def die_with_parent() -> None:
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def become_subreaper() -> bool:
    return _libc is not None and _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def limit_resources(policy: Policy, protections: Protections) -> None:
    # RLIMIT_DATA counts private writable memory, what tensors on the CPU take. Not RLIMIT_AS:
    # a CUDA build of torch reserves 4 GB of address space at import and 17 GB once CUDA
    # starts, inaccessible reservations that hold no memory.
    limits = [(resource.RLIMIT_DATA, policy.memory_bytes, f"memory ≤ {policy.memory_bytes // 2**20} MiB"),
              (resource.RLIMIT_CPU, policy.cpu_seconds, f"CPU time ≤ {policy.cpu_seconds} s"),
              (resource.RLIMIT_FSIZE, policy.output_bytes, f"files and output ≤ {policy.output_bytes} bytes"),
              (resource.RLIMIT_CORE, 0, None)]
    if os.path.isdir("/proc") and os.getuid() != 0:
        # In its own user namespace (Linux >= 5.14) the kernel counts only the processes of that
        # namespace; elsewhere, every process of the user.
        counted = 1 if in_own_user_namespace() else _processes_of(os.getuid())
        nproc = counted + policy.max_processes
        limits.append((resource.RLIMIT_NPROC, nproc, f"at most {policy.max_processes} more processes"))
    elif os.getuid() == 0:
        protections.missing.append("process count limit: the kernel does not apply RLIMIT_NPROC to root; "
                                   "grade as an ordinary user to bound fork bombs")
    protections.missing.append("a cgroup per submission (memory and processes summed over the submission's "
                               "own child processes): not implemented; the memory and process limits bound "
                               "each process on its own")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for kind, value, label in limits:
        try:
            resource.setrlimit(kind, (value, value))
            if label:
                protections.in_force.append(label)
        except (ValueError, OSError) as exc:
            if label:
                protections.missing.append(f"{label}: setrlimit failed ({exc})")


def uses_gpu(policy: Policy) -> bool:
    return "cuda" in policy.devices and bool(glob.glob("/dev/nvidia*"))


def runtime_read_paths(policy: Policy) -> list[str]:
    """What the Python runtime and torch need to read, and nothing of the kit's."""
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths |= {sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix})[k]
              for k in ("stdlib", "platstdlib")}
    paths.add(str(Path(__file__).resolve().parents[2]))  # the autograder package, not the kit
    paths |= {"/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/share/zoneinfo", "/etc/ld.so.cache",
              "/etc/localtime", "/proc/self", "/proc/cpuinfo", "/proc/meminfo", "/sys/devices/system/cpu",
              "/dev/urandom", "/dev/zero"}
    if uses_gpu(policy):
        # What CUDA's driver reads besides its device files. All of /proc is the process's own
        # mount (only its own namespace's processes); /proc/devices gives the driver's numbers.
        paths |= {"/proc", "/sys", "/usr/local/cuda", "/usr/local/nvidia", "/etc/nvidia", "/usr/share/nvidia",
                  "/run/nvidia-persistenced", "/var/run/nvidia-persistenced"}
    paths |= set(policy.extra_read)
    return sorted(os.path.realpath(p) for p in paths if p and os.path.exists(p))


def restrict_filesystem(policy: Policy, protections: Protections) -> None:
    if not policy.landlock:
        protections.missing.append("file, TCP and signal restrictions (Landlock): switched off in grading.toml [sandbox]")
        return
    writable = [policy.scratch, "/dev/null"]
    if uses_gpu(policy):
        # CUDA's driver writes under the process's own /proc entry (measured on an H100:
        # nothing narrower than /proc/self was tried there). With the process's own /proc
        # mounted, that is its own entry and nothing of another process.
        writable += glob.glob("/dev/nvidia*") + ["/proc/self"]
    try:
        result = landlock.restrict(runtime_read_paths(policy), writable)
    except (landlock.LandlockError, OSError, AttributeError) as exc:
        protections.missing.append(f"file, TCP and signal restrictions (Landlock): {exc}")
        return
    protections.in_force.append(f"files: read-only runtime, writes only in the scratch folder (Landlock ABI {result.abi})")
    if result.tcp:
        protections.in_force.append("no TCP connections (Landlock)")
    else:
        protections.missing.append(f"TCP restriction: needs Landlock ABI 4, the kernel has {result.abi}")
    if result.signals:
        protections.in_force.append("cannot signal the grader or other processes (Landlock)")
    else:
        protections.missing.append(f"signal scoping: needs Landlock ABI 6, the kernel has {result.abi}")
