"""Timelines and charts from a real store, through the library and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from tidings import charts, timeline
from tidings.cli import app
from tidings.errors import TidingsError
from tidings.store import EventFilter

runner = CliRunner()


@pytest.fixture
def db(event_store_path: Path) -> Path:
    return event_store_path


def test_summary_templates() -> None:
    ev = {
        "source_name": "Vladimir Putin",
        "source_country": "RUS",
        "target_name": "Nguyen Phu Trong",
        "target_country": "VNM",
        "cameo": "040",
        "root": "04",
        "cameo_name": "Consult",
    }
    assert timeline.summary(ev) == "Vladimir Putin (RUS) and Nguyen Phu Trong (VNM) held talks"
    assert timeline.summary({**ev, "cameo": "041"}).endswith("discussed by telephone")
    # a code without its own template falls back to its 3-digit base, then its root
    assert timeline.summary({**ev, "cameo": "0421"}).endswith("visited Nguyen Phu Trong (VNM)")
    assert timeline.summary({**ev, "cameo": "047"}).endswith("held talks")
    assert timeline.summary({**ev, "cameo": "112"}) == (
        "Vladimir Putin (RUS) accused Nguyen Phu Trong (VNM)"
    )
    assert timeline.summary({**ev, "cameo": "999", "root": "99", "cameo_name": "Odd"}) == (
        "Vladimir Putin (RUS): odd (Nguyen Phu Trong (VNM))"
    )


def test_timeline_one_entry_per_event(db: Path) -> None:
    from tidings.store import open_store

    entries = timeline.build_timeline(
        open_store(db, read_only=True), EventFilter(dyad=("VNM", "RUS"))
    )
    assert [t.date.isoformat() for t in entries] == [
        "2024-06-19",
        "2024-06-20",
        "2024-07-01",
        "2024-08-19",
    ]
    visit = entries[0]
    assert visit.summary == "Vladimir Putin (RUS) visited Nguyen Phu Trong (VNM)"
    assert visit.num_sources == 3 and visit.location == "Hanoi"
    assert "arrived in Hanoi" in visit.evidence


def test_timeline_cli_formats(db: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["timeline", "--dyad", "VNM", "RUS", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert (
        "**2024-06-19**, Hanoi: Vladimir Putin (RUS) visited Nguyen Phu Trong (VNM) (3 sources)"
        in res.stdout
    )
    assert res.stdout.count("\n- **") == 4

    res = runner.invoke(app, ["timeline", "--actor", "united", "--format", "json", "--db", str(db)])
    data = json.loads(res.stdout)
    assert len(data) == 1 and data[0]["cameo"] == "112"
    # article text stays text in Markdown too
    res = runner.invoke(app, ["timeline", "--actor", "united", "--db", str(db)])
    assert "<script>" not in res.stdout and "\\<script\\>" in res.stdout

    out = tmp_path / "t.html"
    res = runner.invoke(
        app,
        ["timeline", "--since", "2024-08-01", "-f", "html", "-o", str(out), "--db", str(db)],
    )
    assert res.exit_code == 0
    page = out.read_text()
    assert page.count("<li ") == 2
    assert "&lt;script&gt;" in page and "<script>" not in page

    res = runner.invoke(app, ["timeline", "--since", "June", "--db", str(db)])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output


def test_chart_figures() -> None:
    import datetime as dt

    events = [
        {
            "event_id": "a",
            "event_date": dt.date(2024, 1, 3),
            "quad_class": 1,
            "goldstein": 3.0,
            "source_name": "A",
            "source_country": "AAA",
            "target_name": "B",
            "target_country": "BBB",
        },
        {
            "event_id": "b",
            "event_date": dt.date(2024, 1, 9),
            "quad_class": 4,
            "goldstein": -9.0,
            "source_name": "B",
            "source_country": "BBB",
            "target_name": "A",
            "target_country": "AAA",
        },
        {
            "event_id": "c",
            "event_date": dt.date(2024, 3, 1),
            "quad_class": 1,
            "goldstein": 1.0,
            "source_name": "A",
            "source_country": "AAA",
            "target_name": "C",
            "target_country": "CCC",
        },
    ]
    fig = charts.monthly_figure(events)
    bars = {t.name: list(t.y) for t in fig.data}
    # February has no event and stays on the axis, with zero bars
    assert list(fig.data[0].x) == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert bars["Verbal cooperation"] == [1, 0, 1] and bars["Material conflict"] == [1, 0, 0]
    assert fig.layout.barmode == "stack" and fig.layout.xaxis.type == "date"

    fig = charts.goldstein_figure(events)  # 58 days: a daily mean
    mean = fig.data[1]
    assert mean.name == "Daily mean" and fig.layout.xaxis.type == "date"
    assert mean.x[0] == "2024-01-03" and mean.x[-1] == "2024-03-01" and len(mean.x) == 59
    assert [y for y in mean.y if y is not None] == [3.0, -9.0, 1.0]  # days between: gaps
    assert mean.connectgaps is False
    long = [*events, {**events[0], "event_id": "d", "event_date": dt.date(2027, 9, 1)}]
    mean = charts.goldstein_figure(long).data[1]
    assert mean.name == "Monthly mean"
    assert list(mean.x[:3]) == ["2024-01-15", "2024-02-15", "2024-03-15"]
    assert mean.x[-1] == "2027-09-15"
    # the three years without events are a gap in the line, not a straight segment
    assert list(mean.y[:3]) == [-3.0, None, 1.0] and mean.y[-1] == 3.0
    assert all(y is None for y in mean.y[3:-1])

    fig = charts.network_figure(events)
    arrows = fig.layout.annotations
    nodes = fig.data[-1]
    assert len(arrows) == 3 and len(nodes.x) == 3  # A->B, B->A and A->C: one per direction
    hover = list(fig.data[0].hovertext)
    assert any("A (AAA) -> B (BBB): 1 events" in h for h in hover)
    assert any("B (BBB) -> A (AAA): 1 events" in h for h in hover)
    colours = {a.arrowcolor for a in arrows}
    assert len(colours) == 3  # means +3, -9 and +1
    top = charts.network_figure(events, top=2)
    assert len(top.data[-1].x) == 2 and "2 busiest of 3" in top.layout.title.text
    assert len(top.layout.annotations) == 2  # only the arrows between the two kept

    table = pa.Table.from_pylist(events)  # what store.events returns
    assert list(charts.monthly_figure(table).data[0].y) == [1, 0, 1]
    assert len(charts.chart("network", table, top=1).data[-1].x) == 1
    with pytest.raises(TidingsError):
        charts.chart("pie", events)


def test_chart_cli_html_is_standalone(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    res = runner.invoke(app, ["chart", "--kind", "monthly", "-o", str(out), "--db", str(db)])
    assert res.exit_code == 0, res.output
    page = out.read_text()
    assert "plotly" in page.lower() and len(page) > 1_000_000  # plotly.js inline
    assert not re.search(r"<script[^>]+src=", page)  # no CDN
    res = runner.invoke(app, ["chart", "--kind", "network", "--db", str(db)])
    assert res.exit_code == 2 and "--output" in res.output


@pytest.mark.browser
def test_chart_png(db: Path, tmp_path: Path) -> None:
    if charts.find_browser() is None:
        pytest.skip("no Chromium")
    out = tmp_path / "g.png"
    res = runner.invoke(
        app,
        [
            "chart",
            "--kind",
            "goldstein",
            "--dyad",
            "VNM",
            "RUS",
            "--png",
            str(out),
            "--db",
            str(db),
        ],
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_png_without_browser_is_a_clear_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(charts, "find_browser", lambda: None)
    with pytest.raises(TidingsError, match="Chromium"):
        charts.write_png(charts.monthly_figure([]), tmp_path / "x.png")


class _FlakyFigure:
    """A figure whose renderer fails ``failures`` times (as kaleido does, now and then)."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def write_image(self, path: str, **kw) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError({"error": "kaleido_scopes is not defined", "\nstack": "x\ny"})
        Path(path).write_bytes(b"\x89PNG")


def test_png_failure_is_retried_once_then_one_line(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(charts, "find_browser", lambda: "/usr/bin/chromium")
    flaky = _FlakyFigure(1)
    assert charts.write_png(flaky, tmp_path / "ok.png").exists() and flaky.calls == 2
    broken = _FlakyFigure(5)
    with pytest.raises(TidingsError) as info:
        charts.write_png(broken, tmp_path / "no.png")
    assert broken.calls == 2
    message = str(info.value)
    assert "\n" not in message and "tried twice" in message and "kaleido_scopes" in message


def test_png_without_kaleido_names_the_extra(monkeypatch, tmp_path: Path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "kaleido", None)  # as if not installed
    with pytest.raises(TidingsError, match=r"pip install 'tidings\[png\]'"):
        charts.write_png(charts.monthly_figure([]), tmp_path / "x.png")
