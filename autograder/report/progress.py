"""Progress on long batches, with the time left: a bar redrawn in place on a terminal; elsewhere (a
cluster's log, CI) a line at each tenth of the class, not one per student."""
from __future__ import annotations

import sys
import time

from autograder.sandbox.errors import clean_text


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    def __init__(self, total: int, stream=None, width: int = 30, clock=time.monotonic):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.clock = clock
        self.started = clock()
        self.shown_tenth = 0

    def eta(self) -> float | None:
        """Seconds left at the pace so far; None before the first result."""
        if not self.done:
            return None
        return (self.clock() - self.started) / self.done * (self.total - self.done)

    def advance(self, label: str) -> None:
        label = clean_text(label, 200)  # a student's name may hold terminal escapes
        self.done += 1
        elapsed = self.clock() - self.started
        left = self.eta()
        timing = f"{duration(elapsed)} elapsed" + (f", about {duration(left)} left" if left and self.done < self.total else "")
        if self.live:
            filled = round(self.width * self.done / max(self.total, 1))
            bar = "█" * filled + "·" * (self.width - filled)
            self.stream.write(f"\r{bar} {self.done}/{self.total}  {timing:<32}  {label[:40]:<40}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            tenth = self.done * 10 // max(self.total, 1)
            if tenth == self.shown_tenth and self.done < self.total:
                return
            self.shown_tenth = tenth
            self.stream.write(f"[{self.done}/{self.total}] {timing}\n")
        self.stream.flush()
