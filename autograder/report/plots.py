"""The reports' figures, small SVGs written here and inlined as data URIs.

Drawn with matplotlib, a student's loss curve cost about 50 ms (more than a quarter of the grader's
own work on a correct submission), and the class's histogram half a second of import.
"""
from __future__ import annotations

import base64
import functools
import json
import math
from html import escape


def loss_curve(curve: dict) -> str:
    """The student's mean loss per epoch against the reference's, on a log scale (an SVG data URI)."""
    return _loss_curve(json.dumps(curve, sort_keys=True))


_WIDTH, _HEIGHT = 640, 320
_LEFT, _RIGHT, _TOP, _BOTTOM = 72, 620, 16, 268
_SERIES = (("reference", "reference solution", "#3b6ea5", "6 4"), ("yours", "your functions", "#d9730d", ""))


@functools.lru_cache(maxsize=64)
def _loss_curve(key: str) -> str:
    curve = json.loads(key)
    epochs = [e for e in curve.get("epochs", []) if isinstance(e, (int, float))]
    series = []
    for name, label, colour, dash in _SERIES:
        values = curve.get(name) or []
        points = [(e, v) for e, v in zip(epochs, values)
                  if isinstance(v, (int, float)) and math.isfinite(v) and v > 0]
        series.append((label, colour, dash, points))
    values = [v for *_, points in series for _, v in points]
    # Whole decades around the values, so that the gridlines are labelled 0.01, 0.1, 1, ...
    low = math.floor(math.log10(min(values))) if values else -2
    high = math.ceil(math.log10(max(values))) if values else 1
    high = max(high, low + 1)
    first, last = (min(epochs), max(epochs)) if epochs else (0, 1)
    span = (last - first) or 1

    def x(e):
        return _LEFT + (e - first) / span * (_RIGHT - _LEFT)

    def y(v):
        return _BOTTOM - (math.log10(v) - low) / (high - low) * (_BOTTOM - _TOP)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
             f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="sans-serif" font-size="12">',
             f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="white"/>']
    step = max(1, math.ceil((high - low) / 8))
    for decade in range(low, high + 1, step):
        level = y(10.0 ** decade)
        parts.append(f'<line x1="{_LEFT}" x2="{_RIGHT}" y1="{level:.1f}" y2="{level:.1f}" stroke="#e4e4e4"/>'
                     f'<text x="{_LEFT - 6}" y="{level + 4:.1f}" text-anchor="end">{10.0 ** decade:g}</text>')
    for e in epochs:
        parts.append(f'<text x="{x(e):.1f}" y="{_BOTTOM + 18}" text-anchor="middle">{e:g}</text>')
    parts.append(f'<line x1="{_LEFT}" x2="{_RIGHT}" y1="{_BOTTOM}" y2="{_BOTTOM}" stroke="#333"/>'
                 f'<line x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP}" y2="{_BOTTOM}" stroke="#333"/>'
                 f'<text x="{(_LEFT + _RIGHT) / 2}" y="{_HEIGHT - 10}" text-anchor="middle">epoch</text>'
                 f'<text transform="translate(16 {(_TOP + _BOTTOM) / 2}) rotate(-90)" text-anchor="middle">'
                 f'{escape(str(curve.get("ylabel") or "loss"))}</text>')
    shown = 0
    for label, colour, dash, points in series:
        if not points:
            continue
        path = " ".join(f"{x(e):.1f},{y(v):.1f}" for e, v in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        parts += [f'<circle cx="{x(e):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"/>' for e, v in points]
        top = _TOP + 12 + 18 * shown
        parts.append(f'<line x1="{_RIGHT - 170}" x2="{_RIGHT - 140}" y1="{top - 4}" y2="{top - 4}" stroke="{colour}" '
                     f'stroke-width="2"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
                     f'<text x="{_RIGHT - 134}" y="{top}">{escape(label)}</text>')
        shown += 1
    parts.append("</svg>")
    return _svg(parts)


def score_histogram(scores: list[float], max_score: float) -> str:
    """How many students got each score: equal bins from 0 to the top score, the last one closed."""
    top = max([max_score, *scores, 1.0])
    bins = min(20, max(5, int(top)))
    counts = [0] * bins
    for value in scores:
        counts[min(max(int(value / top * bins), 0), bins - 1)] += 1
    highest = max(counts + [1])
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10 ** 9) if highest / s <= 8)
    ceiling = -(-highest // step) * step
    left, right, up, down = _LEFT, _RIGHT, _TOP, _BOTTOM

    def y(count):
        return down - count / ceiling * (down - up)

    width = (right - left) / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
             f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="sans-serif" font-size="12">',
             f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="white"/>']
    for tick in range(0, ceiling + 1, step):
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e4e4e4"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, count in enumerate(counts):
        if count:
            parts.append(f'<rect x="{left + i * width + 1:.1f}" y="{y(count):.1f}" width="{width - 2:.1f}" '
                         f'height="{down - y(count):.1f}" fill="#3b6ea5"><title>{count} '
                         f'student{"s" if count != 1 else ""}: {i * top / bins:g} to {(i + 1) * top / bins:g}'
                         '</title></rect>')
    for i in range(0, bins + 1, max(1, bins // 5)):
        parts.append(f'<text x="{left + i * width:.1f}" y="{down + 18}" text-anchor="middle">{i * top / bins:g}</text>')
    parts.append(f'<line x1="{left}" x2="{right}" y1="{down}" y2="{down}" stroke="#333"/>'
                 f'<text x="{(left + right) / 2}" y="{_HEIGHT - 10}" text-anchor="middle">'
                 f'score (out of {max_score:g})</text>'
                 f'<text transform="translate(16 {(up + down) / 2}) rotate(-90)" text-anchor="middle">students</text>'
                 "</svg>")
    return _svg(parts)


def _svg(parts: list[str]) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode("".join(parts).encode()).decode("ascii")
