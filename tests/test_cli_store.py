"""The store commands through Typer's CliRunner: results on stdout, one line per
problem on stderr, exit codes 0 (fine), 1 (some input failed), 2 (usage or store)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import SHARED, make_article, make_mention
from test_store import event, put_events
from tidings.cli import app
from tidings.store import open_store

runner = CliRunner()
D = dt.date


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, env={"TIDINGS_LOCK_TIMEOUT": "0.3"})


@pytest.fixture
def filled(db_path: Path) -> Path:
    """A store with two documents, their mentions and three events."""
    store = open_store(db_path)
    a = make_article("Vietnam met Russia in Hanoi.", name="a.txt", published=D(2021, 2, 9))
    b = make_article("=HYPERLINK(evil) said the US.", name="b.txt", published=D(2023, 1, 2))
    store.write_batch(
        [a, b],
        {
            a.doc_id: [make_mention(a, event_id="e1")],
            b.doc_id: [
                make_mention(
                    b,
                    event_id="e3",
                    source_name="United States",
                    source_country="USA",
                    target_name="China",
                    target_country="CHN",
                    cameo="112",
                    root="11",
                )
            ],
        },
        coder_version="old",
        merge=False,  # the events below are put by hand
    )
    put_events(
        store,
        [
            event("e1", "VNM", "RUS", "040", D(2021, 2, 9), evidence="Vietnam met Russia."),
            event("e2", "RUS", "VNM", "0311", D(2024, 6, 20)),
            event("e3", "USA", "CHN", "112", D(2023, 1, 2), evidence="=HYPERLINK(evil)"),
        ],
    )
    return db_path


# --------------------------------------------------------------------------- ingest


def test_ingest_seeds_stores_five_documents_once(db_path: Path) -> None:
    first = run("ingest", str(SHARED / "seeds"), "--db", str(db_path))
    assert first.exit_code == 0, first.output
    assert "5 added, 0 updated, 0 unchanged, 0 failed" in first.stderr
    store = open_store(db_path, read_only=True)
    published = sorted((r["name"], r["published"]) for r in store.documents(limit=None).to_pylist())
    assert [p for _, p in published] == [
        D(2021, 2, 9),
        D(2021, 4, 6),
        None,
        None,
        D(2024, 8, 9),
    ]
    second = run("ingest", str(SHARED / "seeds"), "--db", str(db_path))
    assert second.exit_code == 0
    assert "0 added, 0 updated, 5 unchanged" in second.stderr
    assert store.count_documents() == 5


def test_ingest_reports_bad_files_and_keeps_good_ones(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(" date 2022-03-01 Leaders met in Paris on Tuesday.\n")
    (folder / "empty.txt").write_text("")
    (folder / "feed.jsonl").write_text('{"text": "A good line."}\n{not json\n')
    result = run("ingest", str(folder), "--db", str(db_path), "--quiet")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any(str(folder / "empty.txt") in ln and "empty" in ln for ln in lines), lines
    assert any(f"{folder / 'feed.jsonl'}:2" in ln for ln in lines), lines
    assert result.stdout == ""
    assert open_store(db_path, read_only=True).count_documents() == 2


def test_ingest_strict_stops_at_first_failure(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "a_empty.txt"
    bad.write_text("")
    good = tmp_path / "b_good.txt"
    good.write_text("Ministers met.")
    result = run("ingest", str(bad), str(good), "--db", str(db_path), "--strict")
    assert result.exit_code == 1
    assert "a_empty.txt" in result.stderr
    assert open_store(db_path, read_only=True).count_documents() == 0


def test_ingest_from_stdin(db_path: Path) -> None:
    lines = json.dumps({"text": "Leaders met.", "url": "https://n.example/1"}) + "\n"
    result = run("ingest", "-", "--db", str(db_path), "--quiet", input=lines)
    assert result.exit_code == 0, result.output
    assert open_store(db_path, read_only=True).count_documents() == 1


def test_ingest_usage_and_store_errors(tmp_path: Path) -> None:
    missing_actors = run("ingest", str(SHARED / "seeds"), "--actors", str(tmp_path / "no.yaml"))
    assert missing_actors.exit_code == 2
    into_dir = run("ingest", str(SHARED / "seeds"), "--db", str(tmp_path))
    assert into_dir.exit_code == 2
    assert into_dir.stderr.strip() == f"error: {tmp_path} is a directory, not a store file"


# --------------------------------------------------------------------------- events


def test_events_table_and_filters(filled: Path) -> None:
    result = run("events", "--db", str(filled))
    assert result.exit_code == 0, result.output
    assert result.stdout.index("e2") < result.stdout.index("e3") < result.stdout.index("e1")
    dyad = run("events", "--db", str(filled), "--dyad", "RUS", "VNM", "--format", "jsonl")
    assert [json.loads(x)["event_id"] for x in dyad.stdout.splitlines()] == ["e2", "e1"]
    for args, expected in [
        (["--actor", "united"], ["e3"]),
        (["--country", "CHN"], ["e3"]),
        (["--code", "03"], ["e2"]),
        (["--root", "4"], ["e1"]),
        (["--quad", "1", "--since", "2022-01-01", "--until", "2024-12-31"], ["e2", "e3"]),
        (["--limit", "1"], ["e2"]),
    ]:
        res = run("events", "--db", str(filled), "--format", "json", *args)
        assert [e["event_id"] for e in json.loads(res.stdout)] == expected, args


def test_events_csv_defuses_formulas(filled: Path) -> None:
    result = run("events", "--db", str(filled), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["event_id"] for r in rows] == ["e2", "e3", "e1"]
    assert rows[1]["evidence"] == "'=HYPERLINK(evil)"
    assert rows[1]["event_date"] == "2023-01-02"


def test_events_mentions_rows(filled: Path) -> None:
    result = run("events", "--db", str(filled), "--mentions", "--format", "json")
    rows = json.loads(result.stdout)
    assert [(r["doc"], r["event_id"], r["cameo"]) for r in rows] == [
        ("b.txt", "e3", "112"),
        ("a.txt", "e1", "040"),
    ]
    assert {"event_date", "source_country", "target_country", "evidence"} <= set(rows[0])
    assert rows[1]["evidence"] == "Vietnam met Russia in Hanoi."
    table = run("events", "--db", str(filled), "--mentions")
    assert "a.txt" in table.stdout and "Vietnam met Russia in Hanoi." in table.stdout


def test_events_parquet_needs_output(filled: Path, tmp_path: Path) -> None:
    bad = run("events", "--db", str(filled), "--format", "parquet")
    assert bad.exit_code == 2
    assert "needs --output" in bad.stderr
    out = tmp_path / "ev.parquet"
    good = run("events", "--db", str(filled), "--format", "parquet", "--output", str(out))
    assert good.exit_code == 0
    assert pq.read_table(out).column("event_id").to_pylist() == ["e2", "e3", "e1"]


def test_events_errors(filled: Path, tmp_path: Path) -> None:
    bad_date = run("events", "--db", str(filled), "--since", "yesterday")
    assert bad_date.exit_code == 2
    assert "--since: 'yesterday' is not a date (use YYYY-MM-DD)" in bad_date.stderr
    nothing = run("events", "--db", str(tmp_path / "none.duckdb"))
    assert nothing.exit_code == 2
    assert "no store here yet" in nothing.stderr
    assert run("events", "--db", str(filled), "--quad", "7").exit_code == 2
    none = run("events", "--db", str(filled), "--country", "FRA")
    assert none.exit_code == 0 and "No events match." in none.stderr


# --------------------------------------------------------------------------- docs, stats


def test_docs_list_and_one(filled: Path) -> None:
    listing = run("docs", "--db", str(filled), "--format", "json")
    docs = json.loads(listing.stdout)
    assert [d["name"] for d in docs] == ["b.txt", "a.txt"]
    one = run("docs", docs[1]["doc_id"], "--db", str(filled))
    assert one.exit_code == 0
    assert "Vietnam met Russia in Hanoi." in one.stdout
    missing = run("docs", "nope", "--db", str(filled))
    assert missing.exit_code == 2
    assert "no document with id 'nope'" in missing.stderr


def test_stats(filled: Path) -> None:
    info = json.loads(run("stats", "--db", str(filled), "--format", "json").stdout)
    assert (info["documents"], info["mentions"], info["events"]) == (2, 2, 3)
    table = run("stats", "--db", str(filled))
    assert "event mentions" in table.stdout and "2021-02-09 to 2024-06-20" in table.stdout


def test_recode(filled: Path) -> None:
    result = run("recode", "--db", str(filled), "--quiet")
    assert result.exit_code == 0, result.output
    store = open_store(filled, read_only=True)
    assert set(store.stats()["coder_versions"]) == {__import__("tidings").CODER_VERSION}
    again = run("recode", "--db", str(filled))
    assert "Re-coded 0 documents" in again.stderr


def test_locked_store_gives_one_clear_line(filled: Path) -> None:
    import subprocess
    import sys

    from test_store import _HOLDER

    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(filled)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = run("events", "--db", str(filled))
    finally:
        holder.communicate("\n", timeout=20)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"error: {filled} is being written by process {holder.pid} (python")
    assert "Try again when it finishes" in line


# --------------------------------------------------------------------------- demo, help


def test_demo_fills_a_store_and_shows_events(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    result = run("demo", "--db", str(db), "--quiet")
    assert result.exit_code == 0, result.output
    store = open_store(db, read_only=True)
    assert store.count_documents() >= 30
    assert f"{store.count_documents()} documents" in result.stdout
    assert store.count_events() > 0
    assert "Sample events" in result.stdout


@pytest.mark.parametrize("command", ["ingest", "events", "docs", "stats", "recode", "demo"])
def test_every_command_has_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
