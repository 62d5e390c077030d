"""A seccomp filter for the student process: system calls that grading never needs fail with EPERM.

Landlock covers files, TCP and signals. What it leaves open, this closes: the kernel keyring
(keyctl, add_key, request_key), pathname unix sockets (socket(AF_UNIX): a docker.sock or D-Bus
socket is reachable through a path, which Landlock does not check), eBPF, io_uring (which skips
seccomp for the calls it makes), perf events, ptrace and other processes' memory, userfaultfd, and
changing namespaces or mounts. socketpair(AF_UNIX) stays allowed: it reaches nothing outside.

Written as classic BPF through ctypes, for x86_64 and aarch64; elsewhere it reports itself missing.
"""
from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO, _RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
_LD_W_ABS, _JEQ_K, _RET_K = 0x20, 0x15, 0x06
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0_LOW = 0, 4, 16
_AF_UNIX = 1

# (audit arch, {name: number}) per machine.
_ARCHES = {
    "x86_64": (0xC000003E, {
        "socket": 41, "keyctl": 250, "add_key": 248, "request_key": 249, "bpf": 321, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "perf_event_open": 298, "ptrace": 101,
        "process_vm_readv": 310, "process_vm_writev": 311, "userfaultfd": 323, "unshare": 272, "setns": 308,
        "mount": 165, "umount2": 166, "pivot_root": 155, "open_by_handle_at": 304, "kexec_load": 246,
        "init_module": 175, "finit_module": 313, "fsopen": 430, "fsmount": 432, "move_mount": 429,
        "open_tree": 428, "mount_setattr": 442, "swapon": 167, "reboot": 169}),
    "aarch64": (0xC00000B7, {
        "socket": 198, "keyctl": 219, "add_key": 217, "request_key": 218, "bpf": 280, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "perf_event_open": 241, "ptrace": 117,
        "process_vm_readv": 270, "process_vm_writev": 271, "userfaultfd": 282, "unshare": 97, "setns": 268,
        "mount": 40, "umount2": 39, "pivot_root": 41, "open_by_handle_at": 265, "kexec_load": 104,
        "init_module": 105, "finit_module": 273, "fsopen": 430, "fsmount": 432, "move_mount": 429,
        "open_tree": 428, "mount_setattr": 442, "swapon": 224, "reboot": 142}),
}
DENIED = ("keyctl", "add_key", "request_key", "bpf", "io_uring_setup", "io_uring_enter", "io_uring_register",
          "perf_event_open", "ptrace", "process_vm_readv", "process_vm_writev", "userfaultfd", "unshare", "setns",
          "mount", "umount2", "pivot_root", "open_by_handle_at", "kexec_load", "init_module", "finit_module",
          "fsopen", "fsmount", "move_mount", "open_tree", "mount_setattr", "swapon", "reboot")


class SeccompError(OSError):
    pass


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _program(arch: int, numbers: dict, block_unix_sockets: bool) -> list[bytes]:
    eperm = _RET_ERRNO | errno.EPERM
    # Another architecture's calling convention (x32, 32-bit compat) could dodge the numbers: kill.
    prog = [_insn(_LD_W_ABS, 0, 0, _OFFSET_ARCH), _insn(_JEQ_K, 1, 0, arch), _insn(_RET_K, 0, 0, _RET_KILL_PROCESS),
            _insn(_LD_W_ABS, 0, 0, _OFFSET_NR)]
    if sys.byteorder == "little" and platform.machine() == "x86_64":
        prog += [_insn(0x35, 0, 1, 0x40000000), _insn(_RET_K, 0, 0, _RET_KILL_PROCESS)]  # JGE: x32 syscalls
    for name in DENIED:
        prog += [_insn(_JEQ_K, 0, 1, numbers[name]), _insn(_RET_K, 0, 0, eperm)]
    if block_unix_sockets:
        prog += [_insn(_JEQ_K, 0, 3, numbers["socket"]), _insn(_LD_W_ABS, 0, 0, _OFFSET_ARG0_LOW),
                 _insn(_JEQ_K, 0, 1, _AF_UNIX), _insn(_RET_K, 0, 0, eperm)]
    prog.append(_insn(_RET_K, 0, 0, _RET_ALLOW))
    return prog


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(block_unix_sockets: bool = True) -> None:
    """Install the filter on this process (and every process it starts). Raises SeccompError."""
    machine = platform.machine()
    if not sys.platform.startswith("linux") or machine not in _ARCHES:
        raise SeccompError(0, f"not available on {sys.platform} {machine}")
    arch, numbers = _ARCHES[machine]
    code = b"".join(_program(arch, numbers, block_unix_sockets))
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SeccompError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise SeccompError(ctypes.get_errno(), f"prctl(PR_SET_SECCOMP) failed: {errno.errorcode.get(ctypes.get_errno())}")
