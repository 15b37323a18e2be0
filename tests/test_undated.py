"""Undated text end to end (issue 11): an article with no date line and no day the text
can fix still yields its events, stored with ``event_date`` null and a ``date_reason``;
merging keeps them, every export writes them (or, for the date-keyed temporal-graph
format, leaves them out), and ``--published`` dates them instead."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tidings import charts, dedup, report, timeline
from tidings.cli import app
from tidings.export import FORMATS, export
from tidings.pipeline import ingest
from tidings.store import Store, open_store

TEXT = (
    "Thai and Cambodian troops exchanged fire across the disputed border on Wednesday.\n"
    "Japanese Foreign Minister Takeshi Iwaya praised Vietnam for its flood relief work.\n"
)


@pytest.fixture
def undated(tmp_path: Path) -> Path:
    path = tmp_path / "undated.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_undated_events_are_stored_merged_and_exported(
    store: Store, undated: Path, tmp_path: Path
) -> None:
    report = ingest([undated], store)
    assert report.added == 1 and report.mentions >= 3
    dedup.update_events(store)
    with store.session() as con:
        rows = con.execute(
            "SELECT root, event_date, date_reason FROM mentions ORDER BY root"
        ).fetchall()
        events = con.execute("SELECT count(*), count(event_date) FROM events").fetchone()
    assert {r[0] for r in rows} >= {"05", "19"}
    assert all(day is None and reason.startswith("undated:") for _, day, reason in rows)
    assert events[0] >= 2 and events[1] == 0
    for fmt in FORMATS:
        out = tmp_path / f"events.{fmt}"
        result = export(store, fmt, out)
        expected = 0 if fmt == "tkg" else events[0]  # a TKG fact needs its time
        assert result.rows == expected, fmt
    table = pq.read_table(tmp_path / "events.parquet")
    assert table.column("event_date").null_count == table.num_rows
    plover = [json.loads(line) for line in (tmp_path / "events.plover").read_text().splitlines()]
    assert all(p["date"] is None for p in plover)


def test_views_keyed_by_time_leave_undated_events_out(store: Store, undated: Path) -> None:
    """A timeline and charts over time have no place for an event without a day; the
    report lists it as undated and the actor network keeps it."""
    ingest([undated], store)
    dedup.update_events(store)
    rows = timeline.query_events(store)
    assert rows and all(r["event_date"] is None for r in rows)
    assert timeline.build_timeline(store) == []
    for kind in ("monthly", "goldstein", "network"):
        charts.chart(kind, rows)
    page = report.build_report(rows, "Undated")
    assert "undated" in page


def test_ingest_published_dates_articles_without_a_date(tmp_path: Path, undated: Path) -> None:
    db = tmp_path / "t.duckdb"
    got = CliRunner().invoke(
        app, ["ingest", str(undated), "--db", str(db), "--published", "2024-05-09", "-q"]
    )
    assert got.exit_code == 0, got.output
    s = open_store(db)
    with s.session() as con:
        days = {r[0] for r in con.execute("SELECT event_date FROM mentions").fetchall()}
    s.close()
    # Thursday 2024-05-09: "on Wednesday" is the day before, and the main event's day
    # dates the sentence that gives none
    assert days == {dt.date(2024, 5, 8)}


@pytest.mark.parametrize(
    ("extra", "days"),
    [([], {None}), (["--published", "2024-05-09"], {"2024-05-08"})],
)
def test_extract_published_option(undated: Path, extra: list[str], days: set) -> None:
    got = CliRunner().invoke(app, ["extract", str(undated), "-f", "jsonl", *extra])
    assert got.exit_code == 0, got.output
    records = [json.loads(line) for line in got.output.splitlines() if line.strip()]
    assert records and {r["event_date"] for r in records} == days


def test_an_articles_own_date_wins_over_published(tmp_path: Path) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(" date 2021-04-06\n" + TEXT, encoding="utf-8")
    got = CliRunner().invoke(
        app, ["extract", str(path), "-f", "jsonl", "--published", "2024-05-09"]
    )
    records = [json.loads(line) for line in got.output.splitlines() if line.strip()]
    assert {r["event_date"] for r in records} == {"2021-03-31"}


def test_published_rejects_a_bad_day(undated: Path) -> None:
    got = CliRunner().invoke(app, ["extract", str(undated), "--published", "2024-13-01"])
    assert got.exit_code == 2
