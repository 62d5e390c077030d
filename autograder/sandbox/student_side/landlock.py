"""Minimal Landlock bindings (Linux >= 5.13) through ctypes: restrict files, TCP and signals.

A process that calls ``restrict`` can afterwards open only what its rules allow, cannot bind
or connect TCP sockets (ABI >= 4), and cannot signal processes outside its domain (ABI >= 6).
"""
from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
_PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FILE_RIGHTS_BY_ABI = {1: 0b111, 3: 0b111 | (1 << 14), 5: 0b111 | (1 << 14) | (1 << 15)}
_FS_BITS_BY_ABI = {1: 13, 2: 14, 3: 15, 5: 16}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1

_libc = ctypes.CDLL(None, use_errno=True)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class LandlockError(OSError):
    pass


def abi_version() -> int:
    """The kernel's Landlock ABI, or 0 where Landlock is missing or disabled."""
    if not sys.platform.startswith("linux"):
        return 0  # these syscall numbers mean other things elsewhere
    version = _libc.syscall(_SYS_CREATE_RULESET, None, 0, _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def _pick(table: dict, abi: int) -> int:
    return table[max(k for k in table if k <= abi)]


@dataclass(frozen=True)
class Result:
    abi: int
    files: bool
    tcp: bool
    signals: bool


def restrict(read_only: list[str], read_write: list[str]) -> Result:
    """Allow reading ``read_only`` and everything in ``read_write``; deny all other paths."""
    abi = abi_version()
    if abi < 1:
        raise LandlockError(0, "Landlock is not available on this kernel")
    fs_all = (1 << _pick(_FS_BITS_BY_ABI, abi)) - 1
    file_rights = _pick(FILE_RIGHTS_BY_ABI, abi)
    net = (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0
    scoped = (_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0
    attr = _RulesetAttr(fs_all, net, scoped)
    size = ctypes.sizeof(attr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        raise LandlockError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        for paths, rights in ((read_only, EXECUTE | READ_FILE | READ_DIR), (read_write, fs_all)):
            for path in paths:
                _add_path(ruleset, path, rights, file_rights)
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise LandlockError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if _libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0) != 0:
            raise LandlockError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return Result(abi, True, bool(net), bool(scoped & _SCOPE_SIGNAL))


def _add_path(ruleset: int, path: str, rights: int, file_rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path that does not exist needs no rule
    try:
        if not os.path.isdir(path):
            rights &= file_rights
        rule = _PathBeneath(rights, fd)
        if _libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise LandlockError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)
