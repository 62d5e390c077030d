"""The pages people look at, opened in a real headless Chromium: feedback.html for each student
and report.html for the class. They render, every image loads, and the numbers on them are the
numbers in results.json. Also: canvas.csv, with and without a roster.

The browser is Debian's `chromium` (installed by .ci/run), driven by Playwright. Where it is
missing, the browser tests are skipped locally and fail in CI.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from corpus_support import KIT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DEMO = KIT / "demo" / "linear_regression"
CHROMIUM = next((p for p in (os.environ.get("AUTOGRADER_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser"), shutil.which("google-chrome")) if p), None)
IN_CI = bool(os.environ.get("CI"))
needs_browser = pytest.mark.skipif(CHROMIUM is None and not IN_CI,
                                   reason="no chromium here (Debian: apt-get install chromium); CI installs it")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    subs = out.parent / "subs"
    shutil.copytree(DEMO, subs)
    (subs / "gina").mkdir()  # pasted indented throughout: a syntax error that takes the whole file
    (subs / "gina" / "linear_regression.py").write_text(textwrap.indent(
        (KIT / "solutions" / "linear_regression" / "linear_regression.py").read_text(), "    "))
    roster = out.parent / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Homework 1 (101)\n"
                      "    Points Possible,,,,,41\n"
                      "\"Smith, Alice\",1001,S-1001,alice,Sec A,\n"
                      "\"Jones, Bob\",1002,S-1002,bob@uni.edu,Sec B,\n"
                      + "".join(f"\"{name.title()}, {name.title()}\",{1003 + i},S-{1003 + i},{name},Sec A,\n"
                                for i, name in enumerate(("carol", "dave", "erin", "frank", "gina")))
                      + "\"Absent, Ann\",1010,S-1010,aabsent,Sec B,\n"
                      "\"Test Student\",9999,,,,\n")
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(subs),
                          "--out", str(out), "--devices", "cpu", "--roster", str(roster),
                          "--canvas-column", "Homework 1 (101)"],
                         capture_output=True, text=True, cwd=KIT, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    results = {p.parent.name: json.loads(p.read_text()) for p in out.glob("students/*/results.json")}
    return out, results, run


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("CI must have chromium (.ci/run installs Debian's package)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


def _open(browser, path):
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, failed


def _images_loaded(page) -> list:
    return page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => ({src: i.src.slice(0, 30), ok: i.complete && i.naturalWidth > 0}))")


@needs_browser
def test_each_feedback_page_renders_and_matches_results_json(graded, browser):
    out, results, _ = graded
    for student, result in results.items():
        page, failed = _open(browser, out / "students" / student / "feedback.html")
        assert not failed, f"{student}: requests failed: {failed}"
        assert all(image["ok"] for image in _images_loaded(page)), student
        total = page.locator("#total")
        assert float(total.get_attribute("data-score")) == pytest.approx(result["score"])
        assert float(total.get_attribute("data-max")) == pytest.approx(result["extra_data"]["max_score"])
        rows = page.eval_on_selector_all("tr.check", "rows => rows.map(r => [r.dataset.name, r.dataset.score, "
                                                     "r.dataset.max, r.innerText])")
        checks = [t for t in result["tests"] if t["extra_data"].get("kind") != "printed"]
        by_name = {t["extra_data"]["check_id"]: t for t in checks}
        assert [r[0] for r in rows] == [t["extra_data"]["check_id"] for t in checks]
        for name, score, maximum, text in rows:
            assert float(score) == by_name[name]["score"] and float(maximum) == by_name[name]["max_score"]
            assert f"{by_name[name]['score']:g} / {by_name[name]['max_score']:g}" in text
        page.close()


@needs_browser
def test_feedback_shows_the_loss_curve_and_the_hints(graded, browser):
    out, results, _ = graded
    page, _ = _open(browser, out / "students" / "bob" / "feedback.html")
    plots = page.locator("img.plot")
    assert plots.count() == 1 and plots.first.evaluate("i => i.naturalWidth") > 200
    assert plots.first.get_attribute("src").startswith("data:image/svg+xml;base64,")
    hints = page.locator(".hint").all_inner_texts()
    failing_hints = [t["output"].split("Likely cause: ", 1)[1].splitlines()[0]
                     for t in results["bob"]["tests"] if "Likely cause: " in t["output"]]
    assert hints and all(any(h in text for text in hints) for h in failing_hints)
    page.close()
    page, _ = _open(browser, out / "students" / "frank" / "feedback.html")
    assert page.locator("img.plot").count() == 0  # nothing ran: no curve
    assert "No linear_regression.py or linear_regression.ipynb was submitted" in page.inner_text("body")
    page.close()


@needs_browser
def test_class_report_renders_and_its_numbers_match(graded, browser):
    out, results, _ = graded
    page, failed = _open(browser, out / "report.html")
    assert not failed
    images = _images_loaded(page)
    assert images and all(image["ok"] for image in images)
    summary = page.locator("#summary")
    scores = [r["score"] for r in results.values()]
    assert int(summary.get_attribute("data-count")) == len(results)
    assert float(summary.get_attribute("data-mean")) == pytest.approx(sum(scores) / len(scores))
    rows = page.eval_on_selector_all("tr.rate", "rows => rows.map(r => [r.dataset.name, +r.dataset.passed, "
                                                "+r.dataset.total, +r.dataset.advisory])")
    rates = [row[:3] for row in rows]
    advisory = [row[3] for row in rows]
    assert advisory == sorted(advisory), "advisory checks, worth no points, come last"
    expected = {}
    ran = {name: r for name, r in results.items() if not _did_not_run(r)}
    assert set(results) - set(ran) == {"gina", "frank"}  # a syntax error, a misnamed file
    for result in ran.values():
        for t in result["tests"]:
            if t["extra_data"].get("kind") == "printed":
                continue
            passed, total = expected.get(t["extra_data"]["check_id"], (0, 0))
            expected[t["extra_data"]["check_id"]] = (passed + (t["status"] == "passed"), total + 1)
    assert {name: (p, t) for name, p, t in rates} == expected
    shown = [p / t for (_, p, t), a in zip(rates, advisory) if not a]
    assert shown == sorted(shown), "least passed first"
    students = page.eval_on_selector_all("tr.student", "rows => rows.map(r => r.dataset.student)")
    assert students == sorted(results)
    limited = page.eval_on_selector_all("tr.limited", "rows => rows.map(r => [r.dataset.student, r.innerText])")
    by_student = dict(limited)
    assert "time" in by_student["dave"] and "torch.optim" in by_student["erin"]
    assert "alice" not in by_student
    links = page.eval_on_selector_all("tr.student a", "as => as.map(a => a.href)")
    assert len(links) == len(results) and all(link.endswith("/feedback.html") for link in links)
    page.close()


def _cause_rows(page):
    return page.eval_on_selector_all("tr.cause", """rows => rows.map(r => ({
        count: +r.dataset.count, points: +r.dataset.points, wholeFile: r.dataset.wholeFile === "1", text: r.cells[1].innerText,
        links: Array.from(r.querySelectorAll("a")).map(a => decodeURIComponent(a.href.split("/students/")[1]))}))""")


@needs_browser
def test_the_report_leads_with_causes_and_the_students_who_need_help(graded, browser):
    """The first screen: each likely cause with its count, linked to exactly the students it cost
    points (by their roster names), then the lowest scores first; the same causes in misconceptions.csv."""
    out, results, _ = graded
    page, _ = _open(browser, out / "report.html")
    page.set_viewport_size({"width": 1440, "height": 900})
    for section in ("#reteach", "#help"):
        box = page.locator(section).bounding_box()
        assert box["y"] < 450, f"{section} starts below the first screen"
    causes = _cause_rows(page)
    # The most students first; causes that cost no points (advisory checks) after those that did.
    order = [(c["points"] == 0, -c["count"]) for c in causes]
    assert causes and order == sorted(order)
    for cause in causes:
        students = [link.split("/")[0] for link in cause["links"]]
        assert cause["count"] == len(set(students)) == len(students), cause
        for student in students:  # everyone linked lost points, and the hint they got is the cause
            assert results[student]["score"] < results[student]["extra_data"]["max_score"], (student, cause)
    whole = [c for c in causes if c["wholeFile"]]
    assert sorted(s.split("/")[0] for c in whole for s in c["links"]) == ["frank", "gina"]
    bob_hints = {t["output"].split("Likely cause: ", 1)[1].splitlines()[0] for t in results["bob"]["tests"]
                 if "Likely cause: " in t["output"] and t["max_score"] > 0 and len(t["tags"]) == 1}
    assert bob_hints and all(any(hint in c["text"] for c in causes) for hint in bob_hints), (bob_hints, causes)
    # Roster names, not folder names, where a roster is given.
    names = page.eval_on_selector_all("tr.cause a", "as => as.map(a => a.innerText)")
    assert "Smith, Alice" not in names and any(name == "Jones, Bob" for name in names)
    help_rows = page.eval_on_selector_all("tr.help", "rows => rows.map(r => [r.dataset.student, r.innerText])")
    scores = [results[s]["score"] for s, _ in help_rows]
    assert scores == sorted(scores) and {s for s, _ in help_rows[:2]} == {"frank", "gina"}
    assert "syntax error" in dict(help_rows)["gina"] and "Gina, Gina" in dict(help_rows)["gina"]
    assert "Absent, Ann" in page.locator("#absent").text_content()
    page.close()
    with (out / "misconceptions.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    for cause in causes:
        text = cause["text"].splitlines()[0]
        in_csv = sorted(r["student"] for r in rows if r["cause"] == text)
        assert in_csv == sorted(s.split("/")[0] for s in cause["links"]), text
    assert {r["name"] for r in rows if r["student"] == "gina"} == {"Gina, Gina"}


@needs_browser
def test_the_report_tables_sort_by_any_column(graded, browser):
    out, results, _ = graded
    page, _ = _open(browser, out / "report.html")
    table = page.locator("#student-table")
    score = table.locator("thead th", has_text="score")

    def shown():
        return page.eval_on_selector_all("#student-table tr.student", "rows => rows.map(r => +r.dataset.score)")

    score.click()
    assert shown() == sorted(r["score"] for r in results.values())
    assert score.get_attribute("aria-sort") == "ascending"
    score.click()
    assert shown() == sorted((r["score"] for r in results.values()), reverse=True)
    score.press("Enter")  # the keyboard sorts as well
    assert shown() == sorted(r["score"] for r in results.values())
    rates = page.locator("#pass-rates thead th", has_text="rate")
    rates.click()
    values = page.eval_on_selector_all("#pass-rates tr.rate", "rows => rows.map(r => r.dataset.passed / r.dataset.total)")
    assert values == sorted(values)
    page.close()


@needs_browser
def test_a_file_that_did_not_run_says_so_once_and_others_get_a_summary(graded, browser):
    out, results, _ = graded
    page, _ = _open(browser, out / "students" / "gina" / "feedback.html")
    body = page.inner_text("body")
    assert page.locator("#banner").count() == 1 and "syntax error" in page.inner_text("#banner")
    assert body.count("has a syntax error") == 1, "the whole-file problem is shown once, as a banner"
    page.close()
    page, _ = _open(browser, out / "students" / "bob" / "feedback.html")
    assert page.locator("#banner").count() == 0
    fix = page.eval_on_selector_all("tr.fix", "rows => rows.map(r => r.dataset.function)")
    lost = {t["tags"][0] for t in results["bob"]["tests"]
            if t["status"] == "failed" and t["max_score"] > 0 and len(t["tags"]) == 1}
    assert set(fix) == lost and len(fix) == len(set(fix))
    page.close()


def _did_not_run(result) -> bool:
    scored = [t for t in result["tests"] if t["max_score"] > 0]
    return all(t["status"] == "failed" and t["extra_data"]["kind"] in ("import", "missing", "syntax") for t in scored)


def test_the_summary_names_the_report(graded):
    out, _, run = graded
    assert str(out / "report.html") in run.stdout


def test_canvas_csv_uses_the_roster(graded):
    out, results, run = graded
    with (out / "canvas.csv").open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Homework 1 (101)"]
    assert rows[1][0].strip() == "Points Possible" and float(rows[1][-1]) == results["alice"]["extra_data"]["max_score"]
    by_id = {r[1]: r for r in rows[2:]}
    assert by_id["1001"][0] == "Smith, Alice" and float(by_id["1001"][-1]) == results["alice"]["score"]
    assert by_id["1002"][3] == "bob@uni.edu" and float(by_id["1002"][-1]) == results["bob"]["score"]
    assert "9999" not in by_id
    # The roster's students with no folder are named in a warning (and get no row without --zero-missing).
    assert "1 student(s) have no folder at all: Absent, Ann" in run.stderr and "1010" not in by_id


def test_canvas_csv_without_a_roster(tmp_path):
    from autograder.integrations.canvas import write_canvas
    from autograder.grade.scoring import GradedSubmission
    graded = [GradedSubmission("zoe", "linear_regression", (), (), {})]
    path = write_canvas(graded, tmp_path, "linear_regression")
    rows = list(csv.reader(path.open()))
    assert rows[2] == ["zoe", "", "", "zoe", "", "0"]


def test_a_roster_that_is_not_one_is_named(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("name,grade\nalice,1\n")
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "linear_regression", str(DEMO),
                          "--out", str(tmp_path / "out"), "--roster", str(bad)],
                         capture_output=True, text=True, cwd=KIT, timeout=120)
    assert run.returncode == 2 and str(bad) in run.stderr and "Canvas gradebook export" in run.stderr
    assert "Traceback" not in run.stderr


@needs_browser
def test_the_report_of_200_students_fits_the_first_screen(browser, tmp_path):
    """At course scale: what to teach again and who needs help are both on the first screen, eight
    causes shown and the rest behind a button, and the sorting still works."""
    import random
    from test_class_view import DOUBLE, _student
    from autograder.report.class_view import class_view
    from autograder.report.html import CAUSES_SHOWN, write_report
    rng = random.Random(3)
    graded = []
    for i in range(200):
        r = rng.random()
        if r < 0.45:
            graded.append(_student(f"s{i:03d}"))
        elif r < 0.6:
            graded.append(_student(f"s{i:03d}", DOUBLE, late=rng.random() < 0.2))
        elif r < 0.65:
            graded.append(_student(f"s{i:03d}", whole=("syntax", "sgd was never defined: line 3 of x.py has a syntax error")))
        else:  # a long tail of distinct causes
            k = rng.randrange(12)
            graded.append(_student(f"s{i:03d}", {"loss_values": ("wrong", f"Cause number {k}.", "values differ")}))
    names = {g.student: f"Student {g.student.upper()}" for g in graded}
    view = class_view(graded, "linear_regression", names)
    assert len(view.causes) > CAUSES_SHOWN
    write_report(graded, view, tmp_path)
    page, failed = _open(browser, tmp_path / "report.html")
    assert not failed
    page.set_viewport_size({"width": 1366, "height": 768})
    for section in ("#reteach h2", "#help h2", "tr.cause >> nth=0", "tr.help >> nth=0"):
        box = page.locator(section).bounding_box()
        assert box is not None and box["y"] + box["height"] < 768, f"{section} is not on the first screen"
    visible = page.eval_on_selector_all("tr.cause", "rows => rows.filter(r => r.offsetParent !== null).length")
    assert visible == CAUSES_SHOWN
    page.locator("#more-causes").click()
    assert page.eval_on_selector_all("tr.cause", "rows => rows.filter(r => r.offsetParent !== null).length") == len(view.causes)
    top = page.eval_on_selector_all("tr.cause", "rows => rows.map(r => +r.dataset.count)")
    assert top[0] == max(len(c.students) for c in view.causes)
    help_rows = page.eval_on_selector_all("tr.help", "rows => rows.map(r => r.dataset.student)")
    assert 0 < len(help_rows) <= 12 and all(r in {g.student for g in graded} for r in help_rows)
    assert "Student S" in page.inner_text("#help")
    page.locator("#student-table thead th", has_text="late").click()
    page.locator("#student-table thead th", has_text="late").click()
    lates = page.eval_on_selector_all("#student-table tr.student", "rows => rows.map(r => +r.dataset.late)")
    assert lates == sorted(lates, reverse=True) and lates[0] == 1
    page.close()
