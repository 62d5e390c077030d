"""``--shard K/N``: one deterministic part of a class, for a job array on a cluster.

A student belongs to shard ``1 + sha256(folder name) mod N``: the same student always lands in the
same shard, whatever else is in the class, so a rerun of one shard (after a node failed) grades the
same students. ``--shard auto`` reads the part from the scheduler: Slurm's job arrays
(SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job
(JOB_COMPLETION_INDEX, with the number of completions in AUTOGRADER_SHARDS, or ``--shard auto/N``).
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from typing import Mapping


class ShardError(ValueError):
    """A --shard that cannot be read, named with the reason."""


@dataclass(frozen=True)
class Shard:
    index: int
    """1-based."""
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def label(self) -> str:
        """For file names: 2-of-4."""
        return f"{self.index}-of-{self.count}"

    def holds(self, student: str) -> bool:
        return self.count == 1 or _bucket(student, self.count) == self.index


def _bucket(student: str, count: int) -> int:
    return 1 + int.from_bytes(hashlib.sha256(student.encode("utf-8", "surrogateescape")).digest()[:8], "big") % count


def shard_of(student: str, count: int) -> int:
    """The shard (1-based) that grades ``student`` when the class is split in ``count``."""
    return _bucket(student, count)


_EXPLICIT = re.compile(r"^(\d+)/(\d+)$")
_AUTO = re.compile(r"^auto(?:/(\d+))?$")


def parse(text: str, env: Mapping[str, str] | None = None) -> Shard:
    env = os.environ if env is None else env
    text = text.strip()
    found = _EXPLICIT.match(text)
    if found:
        return _checked(int(found[1]), int(found[2]), f"--shard {text}")
    found = _AUTO.match(text)
    if not found:
        raise ShardError(f"--shard {text}: expected K/N (such as 2/4, the 2nd of 4 parts), auto, or auto/N")
    if "SLURM_ARRAY_TASK_ID" in env:
        task = _number(env, "SLURM_ARRAY_TASK_ID")
        first = _number(env, "SLURM_ARRAY_TASK_MIN") if "SLURM_ARRAY_TASK_MIN" in env else 0
        count = int(found[1]) if found[1] else _number(env, "SLURM_ARRAY_TASK_COUNT")
        return _checked(task - first + 1, count, f"--shard {text} (Slurm: task {task}, the array starting at {first})")
    if "JOB_COMPLETION_INDEX" in env:
        count = int(found[1]) if found[1] else _number(env, "AUTOGRADER_SHARDS")
        return _checked(_number(env, "JOB_COMPLETION_INDEX") + 1, count, f"--shard {text} (Kubernetes Indexed Job)")
    raise ShardError(f"--shard {text}: neither Slurm's SLURM_ARRAY_TASK_ID nor Kubernetes' JOB_COMPLETION_INDEX is set; "
                     "give the part as K/N")


def _number(env: Mapping[str, str], name: str) -> int:
    value = env.get(name, "")
    if not value.strip().isdigit():
        raise ShardError(f"--shard auto: {name} is {value!r}, not a whole number"
                         + (" (set it to the Indexed Job's completions, or write --shard auto/N)"
                            if name == "AUTOGRADER_SHARDS" else ""))
    return int(value)


def _checked(index: int, count: int, what: str) -> Shard:
    if count < 1 or not 1 <= index <= count:
        raise ShardError(f"{what}: part {index} of {count} does not exist (parts are 1 to N)")
    return Shard(index, count)
