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
    """A key for tensors' exact contents (dtype, shape and bytes).

    Every dtype and shape goes into the key first, in order; then the bytes of all tensors of each
    dtype, concatenated (one copy instead of one per tensor: a run's data are hundreds of batches)."""
    h = hashlib.sha256()
    h.update(repr([(str(t.dtype), tuple(t.shape)) for t in tensors]).encode())
    groups: dict = {}
    with torch.no_grad():
        for t in tensors:
            groups.setdefault((t.dtype, t.device), []).append(t.reshape(-1))
        for flat in groups.values():
            h.update(torch.cat(flat).cpu().view(torch.uint8).numpy().tobytes())
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
