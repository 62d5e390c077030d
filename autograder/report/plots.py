"""The reports' figures, drawn with matplotlib and inlined as PNG data URIs.

matplotlib is imported on first use: a grading run that draws nothing does not pay for it.
"""
from __future__ import annotations

import base64
import functools
import io
import json
import math

_STYLE = {"figure.figsize": (6.4, 3.2), "figure.dpi": 100, "axes.spines.top": False,
          "axes.spines.right": False, "font.size": 10}


def preload() -> None:
    """Import matplotlib now (for a process that would otherwise wait idle)."""
    _pyplot()


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")  # no screen on a grading machine
    import matplotlib.pyplot as plt
    return plt


def _png(plt, fig) -> str:
    fig.subplots_adjust(left=0.13, right=0.97, top=0.95, bottom=0.16)  # not bbox "tight": one draw, not two
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def loss_curve(curve: dict) -> str:
    """The student's mean loss per epoch against the reference's, on a log scale."""
    # Most correct submissions share their curve to the last digit: draw it once.
    return _loss_curve(json.dumps(curve, sort_keys=True))


@functools.lru_cache(maxsize=64)
def _loss_curve(key: str) -> str:
    curve = json.loads(key)
    plt = _pyplot()
    from matplotlib import ticker
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots()
        epochs = curve.get("epochs", [])
        for key, label, style in (("reference", "reference solution", "--"), ("yours", "your functions", "-")):
            values = curve.get(key) or []
            points = [(e, v) for e, v in zip(epochs, values) if v is not None and math.isfinite(v) and v > 0]
            if points:
                ax.plot(*zip(*points), style, marker="o", label=label)
        ax.set_yscale("log")
        # Decades only, labelled as plain numbers: minor log ticks cost more than the rest of the plot.
        ax.yaxis.set_major_locator(ticker.LogLocator(numticks=8))
        ax.yaxis.set_minor_locator(ticker.NullLocator())
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xticks(epochs)
        ax.set_xlabel("epoch")
        ax.set_ylabel(curve.get("ylabel") or "loss")
        ax.legend()
        return _png(plt, fig)


def score_histogram(scores: list[float], max_score: float) -> str:
    """How many students got each score."""
    plt = _pyplot()
    from matplotlib import ticker
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots()
        top = max([max_score, *scores, 1.0])
        bins = min(20, max(5, int(top)))
        ax.hist(scores, bins=bins, range=(0, top), color="#3b6ea5", edgecolor="white")
        ax.set_xlabel(f"score (out of {max_score:g})")
        ax.set_ylabel("students")
        ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        return _png(plt, fig)
