"""The reports' figures (report/plots.py): SVGs whose marks say what the numbers say."""
import base64
import xml.etree.ElementTree as ET

from autograder.report import plots

SVG = "{http://www.w3.org/2000/svg}"


def _svg(uri: str) -> ET.Element:
    assert uri.startswith("data:image/svg+xml;base64,")
    return ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))


def test_the_histogram_has_one_bar_per_occupied_bin_and_counts_every_student():
    scores = [41.0] * 30 + [0.0] * 3 + [27.5, 33.0, 20.0, 20.0, 41.0 - 1e-9]
    bars = [r for r in _svg(plots.score_histogram(scores, 41)).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    counts = [int(r.find(f"{SVG}title").text.split()[0]) for r in bars]
    assert sum(counts) == len(scores) and max(counts) == 31  # the top score falls in the last, closed bin
    heights = {int(r.find(f"{SVG}title").text.split()[0]): float(r.get("height")) for r in bars}
    assert heights[31] > heights[3] > heights[1] > 0
    assert _svg(plots.score_histogram([], 41)) is not None  # an empty class still draws its axes


def test_the_loss_curve_draws_the_finite_values_and_escapes_its_label():
    curve = {"epochs": [0, 1, 2, 3], "reference": [30.0, 0.1, 0.001, 5e-5], "yours": [30.0, 0.2, None, float("nan")],
             "ylabel": "mean <b>loss</b>"}
    svg = _svg(plots.loss_curve(curve))
    lines = [p.get("points").split() for p in svg.iter(f"{SVG}polyline")]
    assert sorted(len(points) for points in lines) == [2, 4]
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "mean <b>loss</b>" in labels  # text, not markup
    # Higher losses are drawn higher (smaller y), on a log scale: equal ratios, equal steps.
    ref = [tuple(map(float, p.split(","))) for p in max(lines, key=len)]
    assert ref[0][1] < ref[1][1] < ref[2][1] < ref[3][1]
    assert abs((ref[1][1] - ref[0][1]) / 2.477 - (ref[2][1] - ref[1][1]) / 2) < 0.5
    nothing = _svg(plots.loss_curve({"epochs": [], "yours": [], "reference": []}))
    assert not list(nothing.iter(f"{SVG}polyline"))
