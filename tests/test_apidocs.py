"""The API reference builds from the docstrings (pdoc), as CI builds it: every public
module renders, and the pages document the functions people call first."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

pdoc = pytest.importorskip("pdoc")

#: the modules of the short reference: what a Python user calls
MODULES = [
    "tidings",
    "tidings.store",
    "tidings.pipeline",
    "tidings.export",
    "tidings.timeline",
    "tidings.charts",
    "tidings.report",
    "tidings.resolve",
    "tidings.palette",
]


def test_api_reference_builds(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a docstring pdoc cannot read fails the build
        pdoc.pdoc(*MODULES, output_directory=tmp_path)
    pages = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")}
    for module in MODULES:
        assert module.replace(".", "/") + ".html" in pages, module
    store = (tmp_path / "tidings" / "store.html").read_text(encoding="utf-8")
    assert "iter_events" in store and "Every merged event matching" in store
    charts = (tmp_path / "tidings" / "charts.html").read_text(encoding="utf-8")
    assert "network_figure" in charts and "pyarrow.Table" in charts
