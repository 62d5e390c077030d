"""The reference's runs that checks share: one cache per grading run, owned by the plan.

A training check compares the student's functions with a run of the reference (the book's loop,
the XOR fit, the book's train()). That run depends only on the device, the check's seed and the
data, which are the same for most submissions, so it is computed once per grading run (per worker
process) and kept here, the oldest dropped first. ``CheckContext.reference_run`` is the way in.
"""
from __future__ import annotations

import hashlib

import torch


def digest(*tensors) -> str:
    """A key for tensors' exact contents (dtype, shape and bytes)."""
    h = hashlib.sha256()
    for t in tensors:
        h.update(str((t.dtype, tuple(t.shape))).encode())
        h.update(t.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


class RunCache:
    """At most ``size`` runs, the oldest dropped first."""

    def __init__(self, size: int = 32):
        self.size = size
        self._runs: dict = {}

    def get(self, key, make):
        if key not in self._runs:
            while len(self._runs) >= self.size:
                del self._runs[next(iter(self._runs))]
            self._runs[key] = make()
        return self._runs[key]

    def __len__(self) -> int:
        return len(self._runs)
