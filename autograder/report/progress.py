"""A progress bar for long batches: redrawn in place on a terminal, one line each elsewhere."""
from __future__ import annotations

import sys
import time

from autograder.sandbox.errors import clean_text


class Progress:
    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()

    def advance(self, label: str) -> None:
        label = clean_text(label, 200)  # a student's name may hold terminal escapes
        self.done += 1
        elapsed = time.monotonic() - self.started
        if self.live:
            filled = round(self.width * self.done / max(self.total, 1))
            bar = "█" * filled + "·" * (self.width - filled)
            self.stream.write(f"\r{bar} {self.done}/{self.total}  {elapsed:5.1f}s  {label[:40]:<40}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {label}\n")
        self.stream.flush()
