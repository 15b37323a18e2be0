"""Save a screenshot of the web page on a store (the README's docs/web.png).

    tidings demo --db demo.duckdb && python bench/web_screenshot.py demo.duckdb docs/web.png

Starts the API on a free port, opens the page in headless Chromium (Debian's chromium
and chromedriver), picks the busiest country pair, opens its best-reported event and
saves the window.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from tidings.api import create_app
from tidings.browser import chromium_driver


def main(db: str, out: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    top = httpx.get(f"{url}/events", params={"sort": "-sources", "limit": 1}).json()["events"]
    try:
        with chromium_driver((1400, 1050)) as driver:
            driver.get(url + "/")
            wait = WebDriverWait(driver, 15)
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#events tbody tr.event"))
            if top and top[0]["source_country"] and top[0]["target_country"]:
                Select(driver.find_element(By.ID, "country-a")).select_by_value(
                    top[0]["source_country"]
                )
                Select(driver.find_element(By.ID, "country-b")).select_by_value(
                    top[0]["target_country"]
                )
                time.sleep(1.0)
            row = driver.find_element(By.CSS_SELECTOR, "#events tbody tr.event")
            row.click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#mentions li"))
            time.sleep(0.5)
            driver.save_screenshot(out)
    finally:
        server.should_exit = True
    print(f"saved {Path(out).resolve()}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/web_screenshot.py STORE.duckdb OUT.png")
    main(sys.argv[1], sys.argv[2])
