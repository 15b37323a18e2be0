"""The web page, driven end to end in headless Chromium (Debian's chromium + chromedriver).

Invariants: an analyst can search an actor, pick a dyad and read events with their
evidence and coded words highlighted; article text with markup or script shows as text
and never runs; the page loads nothing from the internet and logs no errors.

Set TIDINGS_SCREENSHOT=path.png to save a screenshot of the page (docs/web.png).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from api_helpers import HOSTILE_SENTENCE, Fixture, api_fixture
from tidings.browser import chromium_available, chromium_driver

pytestmark = pytest.mark.browser

if not chromium_available():  # pragma: no cover
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixture]:
    with api_fixture(tmp_path_factory.mktemp("web"), allow_ingest=False) as fx:
        yield fx


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    with chromium_driver((1400, 1000), extra_args=("--disable-dev-shm-usage",)) as driver:
        driver.set_page_load_timeout(20)
        yield driver


def wait(driver: webdriver.Chrome, seconds: float = 8) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def rows(driver: webdriver.Chrome) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#events tbody tr.event")


def search_done(driver: webdriver.Chrome, previous: str | None) -> bool:
    """True when the table shows the answer to a search newer than ``previous``."""
    loaded = driver.execute_script("return document.body.dataset.loaded || null")
    return loaded is not None and loaded != previous


def loaded_marker(driver: webdriver.Chrome) -> str | None:
    return driver.execute_script("return document.body.dataset.loaded || null")


def no_alert(driver: webdriver.Chrome) -> bool:
    try:
        driver.switch_to.alert.dismiss()
    except NoAlertPresentException:
        return True
    return False


def test_explore_actor_dyad_and_evidence(browser: webdriver.Chrome, site: Fixture) -> None:
    d = browser
    d.get(site.url + "/")
    wait(d).until(lambda drv: len(rows(drv)) == 16)
    assert "16 of 16" in d.find_element(By.ID, "summary").text
    # the chart is drawn by the locally served plotly.js
    wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#chart .main-svg"))

    # actor search: suggestions come from /actors, the table narrows to Putin's event
    box = d.find_element(By.ID, "actor")
    box.send_keys("Puti")
    wait(d).until(
        lambda drv: drv.execute_script(
            "return [...document.querySelectorAll('#actor-options option')]"
            ".some(o => o.value === 'Vladimir Putin')"
        )
    )
    before = loaded_marker(d)
    box.send_keys("n")
    d.find_element(By.ID, "search").click()
    wait(d).until(lambda drv: search_done(drv, before) and len(rows(drv)) == 1)
    assert "Vladimir Putin" in rows(d)[0].text and "Xi Jinping" in rows(d)[0].text

    # dyad: clear the actor, pick Vietnam and Russia
    box.clear()
    before = loaded_marker(d)
    Select(d.find_element(By.ID, "country-a")).select_by_value("VNM")
    wait(d).until(lambda drv: search_done(drv, before))
    before = loaded_marker(d)
    Select(d.find_element(By.ID, "country-b")).select_by_value("RUS")
    wait(d).until(lambda drv: search_done(drv, before) and len(rows(drv)) == 13)
    assert all("Vietnam" in r.text and "Russia" in r.text for r in rows(d))

    # evidence under each row, with the coded words highlighted
    evidence = d.find_elements(By.CSS_SELECTOR, "#events tr.evidence-row td")
    assert len(evidence) == 13 and all("signed" in e.text for e in evidence)
    marks = evidence[0].find_elements(By.CSS_SELECTOR, "mark.hl-trigger")
    assert [m.text for m in marks] == ["signed"]
    assert evidence[0].find_elements(By.CSS_SELECTOR, "mark.hl-source")[0].text == "Vietnam"

    # the detail panel lists every mention with its document's title and link
    multi = next(r for r in rows(d) if r.find_element(By.CSS_SELECTOR, "td.num").text == "2")
    multi.click()
    wait(d).until(lambda drv: len(drv.find_elements(By.CSS_SELECTOR, "#mentions li")) == 2)
    links = d.find_elements(By.CSS_SELECTOR, "#mentions .mention-head a")
    assert {a.get_attribute("href") for a in links} == {
        "https://news.example/harbour/trade-pact",
        "https://news.example/delta/trade-pact",
    }
    assert all(a.text.startswith("Trade pact") for a in links)

    if os.environ.get("TIDINGS_SCREENSHOT"):
        d.execute_script("window.scrollTo(0, 0)")
        d.save_screenshot(os.environ["TIDINGS_SCREENSHOT"])


def test_script_in_an_article_shows_as_text(browser: webdriver.Chrome, site: Fixture) -> None:
    d = browser
    d.get(site.url + "/")
    wait(d).until(lambda drv: len(rows(drv)) == 16)
    before = loaded_marker(d)
    Select(d.find_element(By.ID, "root")).select_by_value("11")
    wait(d).until(lambda drv: search_done(drv, before) and len(rows(drv)) == 1)
    cell = d.find_element(By.CSS_SELECTOR, "#events tr.evidence-row td")
    assert cell.text == HOSTILE_SENTENCE  # the tags are visible characters
    assert not d.find_elements(By.CSS_SELECTOR, "#events script, #events img")

    rows(d)[0].click()
    wait(d).until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#mentions li")))
    head = d.find_element(By.CSS_SELECTOR, "#mentions .mention-head")
    assert "<img src=x onerror=alert(2)>" in head.text
    assert not head.find_elements(By.TAG_NAME, "a")  # a javascript: URL is not a link
    assert "<b>Gazette</b>" in head.text

    d.find_element(By.CSS_SELECTOR, "#mentions button.link").click()
    wait(d).until(ec.visibility_of_element_located((By.ID, "document-text")))
    assert HOSTILE_SENTENCE in d.find_element(By.ID, "document-text").text
    assert not d.find_elements(By.CSS_SELECTOR, "#detail script, #detail img, #detail b")
    assert no_alert(d)
    assert d.execute_script("return typeof window.alert") == "function"


def errors_logged(driver: webdriver.Chrome) -> list[dict]:
    """Console errors since the last call (reading the log empties it)."""
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def test_no_console_errors_and_nothing_from_outside(site: Fixture) -> None:
    # a browser of its own: its first load asks for /favicon.ico, and nothing is
    # cleared before the log is read
    with chromium_driver((1400, 1000), extra_args=("--disable-dev-shm-usage",)) as d:
        d.set_page_load_timeout(20)
        d.get(site.url + "/")
        wait(d).until(lambda drv: len(rows(drv)) == 16)
        wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#chart .main-svg"))
        d.get(site.url + "/docs")
        wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#endpoints *"))
        d.get(site.url + "/favicon.ico")
        assert errors_logged(d) == []


def test_the_page_loads_nothing_from_outside(browser: webdriver.Chrome, site: Fixture) -> None:
    d = browser
    d.get(site.url + "/")
    wait(d).until(lambda drv: len(rows(drv)) == 16)
    wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#chart .main-svg"))
    origins = d.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
    )
    assert set(origins) <= {site.url}
    # a bad parameter from the page shows the API's message, not a broken page
    d.execute_script("document.getElementById('since').value = '2024-06-01'")
    d.execute_script("document.getElementById('until').value = '2024-01-01'")
    d.find_element(By.ID, "search").click()
    wait(d).until(lambda drv: drv.find_element(By.ID, "error").is_displayed())
    assert "before since" in d.find_element(By.ID, "error").text


def field_values(driver: webdriver.Chrome) -> dict:
    return driver.execute_script(
        "const ids = ['actor', 'country-a', 'country-b', 'since', 'until', 'root', 'sort'];"
        "const out = Object.fromEntries(ids.map(i => [i, document.getElementById(i).value]));"
        "out.all = document.getElementById('all').checked; return out;"
    )


def test_every_control_and_reset(browser: webdriver.Chrome, site: Fixture) -> None:
    """Each filter, the pager, the detail panel and Reset, pressed as a user would."""
    d = browser
    d.get(site.url + "/?limit=5")  # a page size that makes the pager work on 16 events
    wait(d).until(lambda drv: len(rows(drv)) == 5)
    errors_logged(d)
    defaults = field_values(d)
    assert "1–5 of 16" in d.find_element(By.ID, "summary").text
    assert not d.find_element(By.ID, "prev").is_enabled()

    # the pager: next, next, next (the last page has 1), previous
    for shown, text in ((5, "6–10 of 16"), (5, "11–15 of 16"), (1, "16–16 of 16")):
        before = loaded_marker(d)
        d.find_element(By.ID, "next").click()
        wait(d).until(lambda drv, b=before, n=shown: search_done(drv, b) and len(rows(drv)) == n)
        assert text in d.find_element(By.ID, "summary").text
    assert not d.find_element(By.ID, "next").is_enabled()
    before = loaded_marker(d)
    d.find_element(By.ID, "prev").click()
    wait(d).until(lambda drv: search_done(drv, before) and len(rows(drv)) == 5)

    # each filter narrows the table as the API does
    def change(action: object, expected: int) -> None:
        before = loaded_marker(d)
        action()  # type: ignore[operator]
        wait(d).until(lambda drv: search_done(drv, before) and len(rows(drv)) == expected)

    change(lambda: Select(d.find_element(By.ID, "country-a")).select_by_value("RUS"), 5)
    change(lambda: Select(d.find_element(By.ID, "country-b")).select_by_value("UKR"), 1)
    change(lambda: Select(d.find_element(By.ID, "country-b")).select_by_value(""), 5)
    change(lambda: Select(d.find_element(By.ID, "root")).select_by_value("19"), 1)
    change(lambda: Select(d.find_element(By.ID, "sort")).select_by_value("goldstein"), 1)
    change(lambda: d.find_element(By.ID, "all").click(), 1)
    d.find_element(By.ID, "since").send_keys("02012024")  # the date widget's mm/dd/yyyy
    wait(d).until(lambda drv: drv.find_element(By.ID, "since").get_attribute("value"))
    change(lambda: d.find_element(By.ID, "search").click(), 1)
    d.find_element(By.ID, "until").send_keys("02052024")  # the shelling was on Feb 9
    wait(d).until(lambda drv: drv.find_element(By.ID, "until").get_attribute("value"))
    change(lambda: d.find_element(By.ID, "search").click(), 0)
    d.find_element(By.ID, "until").send_keys("12312024")
    change(lambda: d.find_element(By.ID, "search").click(), 1)
    d.find_element(By.ID, "actor").send_keys("nobody of that name")
    change(lambda: d.find_element(By.ID, "search").click(), 0)
    assert d.find_element(By.ID, "empty").is_displayed()
    assert field_values(d) != defaults

    # Reset: every field back to its default and all 16 events again, with no error
    change(lambda: d.find_element(By.ID, "reset-filters").click(), 5)
    assert field_values(d) == defaults
    assert "1–5 of 16" in d.find_element(By.ID, "summary").text
    assert not d.find_element(By.ID, "error").is_displayed()
    assert errors_logged(d) == []

    # a search after Reset still finds everything
    change(lambda: d.find_element(By.ID, "search").click(), 5)
    assert "of 16" in d.find_element(By.ID, "summary").text

    # a row opens the detail panel, its article opens, the close button hides it
    rows(d)[0].click()
    wait(d).until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#mentions li")))
    d.find_element(By.CSS_SELECTOR, "#mentions button.link").click()
    wait(d).until(ec.visibility_of_element_located((By.ID, "document-text")))
    d.find_element(By.ID, "detail-close").click()
    wait(d).until(ec.invisibility_of_element_located((By.ID, "detail")))

    # a point on the chart opens its event too
    wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#chart .point"))
    d.execute_script(
        "const chart = document.getElementById('chart');"
        "chart.emit('plotly_click', {points: [{customdata: chart.data[0].customdata[0]}]});"
    )
    wait(d).until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#mentions li")))
    d.find_element(By.LINK_TEXT, "API docs").click()
    wait(d).until(lambda drv: drv.current_url.endswith("/docs"))
    assert errors_logged(d) == []


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (IHDR is always the first chunk)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("width", [420, 1400])
def test_layout_on_a_phone_and_a_desktop(
    browser: webdriver.Chrome, site: Fixture, width: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Nothing runs off the screen, the chart's axis title is whole, and a screenshot is taken.

    Set TIDINGS_SCREENSHOT_DIR to keep the screenshots (page-420.png, page-1400.png).
    """
    d = browser
    metrics = {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False}
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        d.get(site.url + "/")
        wait(d).until(lambda drv: len(rows(drv)) == 16)
        wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#chart .ytitle"))
        geometry = d.execute_script(
            """
            const box = (sel) => document.querySelector(sel).getBoundingClientRect();
            const svg = box('#chart .main-svg'), title = box('#chart .ytitle');
            return {
              inner: window.innerWidth,
              scroll: document.documentElement.scrollWidth,
              pickerRight: box('#country-b').right,
              searchRight: box('#search').right,
              title: [title.top - svg.top, svg.bottom - title.bottom, title.left - svg.left],
              titleText: document.querySelector('#chart .ytitle').textContent,
            };
            """
        )
        assert geometry["inner"] == width
        assert geometry["scroll"] <= width  # no sideways scrolling of the page
        assert geometry["pickerRight"] <= width and geometry["searchRight"] <= width
        assert min(geometry["title"]) >= 0, geometry  # the y-axis title is not cut
        assert geometry["titleText"] == "Goldstein score"
        shot = d.get_screenshot_as_png()
        assert png_size(shot) == (width, 1000)
        keep = os.environ.get("TIDINGS_SCREENSHOT_DIR")
        folder = keep or tmp_path_factory.mktemp("shots")
        (Path(folder) / f"page-{width}.png").write_bytes(shot)
    finally:
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_page_colours_and_country_names_match_the_rest(
    browser: webdriver.Chrome, site: Fixture
) -> None:
    """The timeline uses tidings.palette's quad-class colours (as the charts, the report
    and the timeline files do); pickers name countries as events do."""
    from tidings.palette import QUAD_COLORS, QUAD_NAMES

    d = browser
    d.get(site.url + "/")
    wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#chart .main-svg"))
    traces = d.execute_script(
        "return document.getElementById('chart').data.map(t => [t.name, t.marker.color])"
    )
    assert len(traces) == 3  # verbal coop., verbal and material conflict in the fixture
    by_name = {name: colour for name, colour in traces}
    expected = {QUAD_NAMES[q]: QUAD_COLORS[q] for q in QUAD_NAMES}
    assert by_name == {name: expected[name] for name in by_name}
    labels = d.execute_script(
        "return [...document.querySelectorAll('#country-b option')].map(o => o.textContent)"
    )
    assert "Vietnam (VNM)" in labels and "Russia (RUS)" in labels
