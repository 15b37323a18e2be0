"""The HTML report: self-contained, escaped, and clean in headless Chromium.

Set ``TIDINGS_SCREENSHOT=1`` to also save the screenshot used in the README
(``docs/report.png``); ``bench/screenshots.py`` does the same on a demo store.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _eventdata import HOSTILE, build_store
from tidings.browser import chromium_available, chromium_driver
from tidings.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def report_path(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    db = tmp / "events.duckdb"
    build_store(db).close()
    out = tmp / "report.html"
    res = runner.invoke(app, ["report", "--dyad", "RUS", "VNM", "-o", str(out), "--db", str(db)])
    assert res.exit_code == 0, res.output
    return out


def test_report_is_self_contained_and_escaped(report_path: Path) -> None:
    page = report_path.read_text()
    # plotly.js once, inline; no external resources at all
    assert page.count('<script type="text/javascript">') == 1
    # outside the plotly.js bundle (whose code mentions map-tile URLs), nothing external
    start = page.index('<script type="text/javascript">')
    end = page.index("</script>", start)
    assert end - start > 1_000_000
    ours = page[:start] + page[end:]
    assert not re.search(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", ours)
    assert "cdn.plot.ly" not in ours, "a CDN reference outside plotly.js"
    assert "<script src" not in ours and '<link rel="stylesheet"' not in ours
    # the three charts, the timeline and the table
    for div in ("plot-monthly", "plot-goldstein", "plot-network"):
        assert f'id="{div}"' in page
    assert '<ol class="timeline">' in page and "<table>" in page
    assert "Vladimir Putin (RUS) visited Nguyen Phu Trong (VNM)" in page


def test_article_script_shows_as_text(tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    build_store(db).close()
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "--actor", "united", "-o", str(out), "--db", str(db)])
    assert res.exit_code == 0
    page = out.read_text()
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.count("<script") == page.count("</script>")  # only our own scripts


@pytest.mark.browser
def test_report_opens_in_chromium_without_console_errors(report_path: Path) -> None:
    if not chromium_available():
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium_driver((1280, 2200)) as driver:
        driver.get(report_path.as_uri())
        WebDriverWait(driver, 10).until(
            lambda d: (
                d.execute_script(
                    "return document.querySelectorAll('.js-plotly-plot .main-svg').length"
                )
                >= 3
            )
        )
        assert driver.execute_script("return typeof Plotly") == "object"
        items = driver.find_elements(By.CSS_SELECTOR, "ol.timeline li")
        assert len(items) == 4
        # the evidence is visible text, not markup
        assert "arrived in Hanoi" in items[0].text
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == []
        if os.environ.get("TIDINGS_SCREENSHOT"):
            (ROOT / "docs").mkdir(exist_ok=True)
            driver.set_window_size(1280, 1800)
            driver.save_screenshot(str(ROOT / "docs" / "report.png"))
