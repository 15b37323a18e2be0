"""The web page, driven end to end in headless Chromium (Debian's chromium + chromedriver).

Invariants: an analyst can search an actor, pick a dyad and read events with their
evidence and coded words highlighted; article text with markup or script shows as text
and never runs; the page loads nothing from the internet and logs no errors.

Set TIDINGS_SCREENSHOT=path.png to save a screenshot of the page (docs/web.png).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

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


def test_no_console_errors_and_nothing_from_outside(
    browser: webdriver.Chrome, site: Fixture
) -> None:
    d = browser
    d.get_log("browser")  # drop what earlier tests logged
    d.get(site.url + "/")
    wait(d).until(lambda drv: len(rows(drv)) == 16)
    wait(d).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, "#chart .main-svg"))
    errors = [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
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
