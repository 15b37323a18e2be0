"""Screenshot of the HTML report for the README (docs/report.png).

Ingests the packaged demo corpus into a temporary store with the real pipeline, writes
``tidings report`` for one dyad, opens it in headless Chromium (Debian's chromium and
chromedriver) and saves the screenshot. Prints the timings and any console errors.

    python bench/screenshots.py [--dyad CHN USA] [--output docs/report.png]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from tidings import pipeline
from tidings.browser import chromium_driver
from tidings.report import write_report
from tidings.store import EventFilter, open_store

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dyad", nargs=2, default=["CHN", "USA"])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "report.png")
    args = parser.parse_args()

    from selenium.webdriver.support.ui import WebDriverWait

    tmp = Path(tempfile.mkdtemp(prefix="tidings-shot-"))
    try:
        t0 = time.perf_counter()
        store = open_store(tmp / "demo.duckdb")
        corpus = resources.files("tidings").joinpath("data/demo/articles")
        report = pipeline.ingest([str(corpus)], store)
        t1 = time.perf_counter()
        page = write_report(store, tmp / "report.html", EventFilter(dyad=tuple(args.dyad)))
        store.close()
        t2 = time.perf_counter()
        print(f"ingested {report.read} articles, {report.mentions} mentions in {t1 - t0:.1f}s")
        print(f"report {page.stat().st_size / 1e6:.1f} MB in {t2 - t1:.1f}s")

        with chromium_driver((1280, 1800), extra_args=("--hide-scrollbars",)) as driver:
            driver.get(page.as_uri())
            WebDriverWait(driver, 15).until(
                lambda d: (
                    d.execute_script(
                        "return document.querySelectorAll('.js-plotly-plot .main-svg').length"
                    )
                    >= 3
                )
            )
            time.sleep(0.5)  # let plotly finish its transitions
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            args.output.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.output))
        print(f"screenshot -> {args.output} ({time.perf_counter() - t2:.1f}s)")
        print(f"console errors: {len(errors)}")
        for e in errors:
            print("  ", e["message"])
        return 1 if errors else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
