"""Headless Chromium for the browser tests and the README screenshots.

The tests (``tests/test_web.py``, ``tests/test_report_browser.py``) and the screenshot
scripts (``bench/screenshots.py``, ``bench/web_screenshot.py``) all drive Debian's
``chromium`` through its ``chromedriver`` with selenium. They share one setup, kept
here so that the flags cannot drift apart between them.

Why these flags: the machines this runs on have no network at all, and Chromium on
start-up otherwise reaches out (component and safe-browsing updates, sync, first-run
pages, field trials). Those attempts slow the start, can stall a page load and fill
the console log, which the tests read to assert that a page logs no errors. The
profile is a fresh temporary directory each time, so no cached state from an earlier
run (or from another run at the same moment) leaks in; it is removed afterwards.

selenium is a test dependency (``tidings[test]``), so it is imported only when a
driver is asked for.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from selenium.webdriver import Chrome

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",  # runs as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_available() -> bool:
    """True when Debian's chromium and chromium-driver are installed (tests skip otherwise)."""
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@contextmanager
def chromium_driver(
    window_size: tuple[int, int] = (1280, 1800),
    *,
    extra_args: Iterable[str] = (),
) -> Iterator[Chrome]:
    """A headless Chromium driver on a fresh profile, quit and cleaned up on exit.

    The browser console is logged at every level (``driver.get_log("browser")``) so
    callers can check a page for errors. ``extra_args`` adds flags for one caller's
    needs (say ``--hide-scrollbars`` for a screenshot).
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="tidings-chromium-")
    try:
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        width, height = window_size
        for flag in (
            *HEADLESS_FLAGS,
            *extra_args,
            f"--window-size={width},{height}",
            f"--user-data-dir={profile}",
        ):
            opts.add_argument(flag)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
