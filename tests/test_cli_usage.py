"""What a newcomer meets on the command line: version, help, filters checked as the API
checks them, empty results said out loud, summaries, the demo's own store, lock messages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

from tidings import __version__
from tidings.cli import app
from tidings.cli._app import COMMAND_ORDER, PANELS

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"TIDINGS_LOCK_TIMEOUT": "0.3", "COLUMNS": "120"})


@pytest.fixture
def events_db(event_store_path: Path) -> Path:
    return event_store_path


# --------------------------------------------------------------------------- help


def test_version() -> None:
    res = run("--version")
    assert res.exit_code == 0 and res.stdout.strip() == f"tidings {__version__}"


def test_help_panels_follow_a_users_day() -> None:
    out = run("--help").stdout
    starts = [out.index(f"─ {panel} ") for panel in PANELS]
    assert starts == sorted(starts), "panels out of order"
    names = [n for n in COMMAND_ORDER if re.search(rf"│ {n} ", out)]
    assert names == list(COMMAND_ORDER)  # every command listed, in the user's order
    positions = [out.index(f"│ {n} ") for n in COMMAND_ORDER]
    assert positions == sorted(positions)
    assert out.index("│ gate ") > out.index("─ Quality ")


@pytest.mark.parametrize("command", COMMAND_ORDER)
def test_help_has_an_example_and_no_bool_placeholder(command: str) -> None:
    res = run(command, "--help")
    assert res.exit_code == 0
    assert "Example:" in res.stdout
    assert "<bool>" not in res.stdout


def _plain(markup: str) -> str:
    return Text.from_markup(markup).plain


@pytest.mark.parametrize("command", COMMAND_ORDER)
def test_literal_brackets_survive_rich_markup(command: str) -> None:
    """A ``[word]`` in a help text that is not a style tag must reach the screen."""
    import typer.main

    group = typer.main.get_command(app)
    cmd = group.commands[command]  # type: ignore[attr-defined]
    texts = [cmd.help or ""] + [getattr(p, "help", None) or "" for p in cmd.params]
    for text in texts:
        unstyled = re.sub(r"\[/?(?:bold|dim|red|green|yellow|italic)?\]", "", text)
        assert _plain(text) == unstyled.replace("\\[", "["), text
    assert "tidings[ray]" in run("ingest", "--help").stdout.replace("\n", " ").replace("│", "")


# --------------------------------------------------------------------------- filters


def test_country_names_resolve_to_codes(events_db: Path) -> None:
    by_code = run("events", "--dyad", "VNM", "RUS", "--format", "jsonl", "--db", str(events_db))
    by_name = run(
        "events", "--dyad", "Vietnam", "russia", "--format", "jsonl", "--db", str(events_db)
    )
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.stdout == by_name.stdout and by_code.stdout.count("\n") > 1
    country = run("events", "--country", "Viet Nam", "--format", "jsonl", "--db", str(events_db))
    assert country.exit_code == 0 and '"VNM"' in country.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--dyad", "VNM", "XXX"), "'XXX' is not a country"),
        (("--dyad", "Vietnm", "RUS"), "did you mean VNM Vietnam"),
        (("--country", "Atlantis"), "'Atlantis' is not a country code or name"),
        (("--code", "4x"), "a CAMEO code is 2 to 4 digits"),
        (("--root", "21"), "a CAMEO root is 01 to 20"),
        (("--since", "2024-05-01", "--until", "2024-01-01"), "is before --since"),
        # the API's stricter checks, shared through tidings.resolve
        (("--since", "20240101"), "--since: '20240101' is not a date"),
        (("--country", "VNM\n"), "--country: contains control characters"),
        (("--root", "\u0663"), "a CAMEO root is 01 to 20"),
        (("--code", "0\u0664"), "a CAMEO code is 2 to 4 digits"),
    ],
)
@pytest.mark.parametrize("command", ["events", "export", "timeline", "report", "chart"])
def test_bad_filters_exit_2_everywhere(
    command: str, args: tuple[str, ...], message: str, events_db: Path, tmp_path: Path
) -> None:
    extra = {
        "export": ("--format", "csv", "--output", str(tmp_path / "x.csv")),
        "report": ("--output", str(tmp_path / "r.html")),
        "chart": ("--output", str(tmp_path / "c.html")),
    }.get(command, ())
    res = run(command, *args, *extra, "--db", str(events_db))
    assert res.exit_code == 2, res.output
    assert message in res.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_export_takes_the_same_filters_as_events(events_db: Path, tmp_path: Path) -> None:
    import typer.main

    group = typer.main.get_command(app)

    def options(name: str) -> set[str]:
        return {o for p in group.commands[name].params for o in p.opts}  # type: ignore[attr-defined]

    filters = options("events") - {"--limit", "--mentions", "--format", "-f", "--output", "-o"}
    assert filters <= options("export")
    out = tmp_path / "sub" / "quad4.jsonl"
    res = run("export", "--format", "jsonl", "--quad", "4", "--output", str(out),
              "--db", str(events_db))  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = out.read_text().splitlines()
    assert rows and all('"quad_class": 4' in r for r in rows)
    events = run("events", "--quad", "4", "--format", "jsonl", "--db", str(events_db))
    assert len(events.stdout.splitlines()) == len(rows)


# --------------------------------------------------------------------------- empty results


@pytest.mark.parametrize(
    ("command", "extra", "name"),
    [
        ("timeline", ("--format", "html", "--output"), "t.html"),
        ("chart", ("--output",), "c.html"),
        ("report", ("--output",), "r.html"),
        ("export", ("--format", "csv", "--output"), "e.csv"),
        ("events", ("--format", "csv", "--output"), "v.csv"),
    ],
)
def test_no_events_says_so_and_writes_nothing(
    command: str, extra: tuple[str, ...], name: str, events_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / name
    res = run(command, "--dyad", "CHN", "FRA", *extra, str(out), "--db", str(events_db))
    assert res.exit_code == 1, res.output
    assert "No events match." in res.stderr and "none with dyad CHN–FRA" in res.stderr
    assert not out.exists()
    res = run(command, "--dyad", "CHN", "FRA", *extra, str(out), "--allow-empty",
              "--db", str(events_db))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert out.exists()


def test_empty_store_suggests_the_demo(tmp_path: Path) -> None:
    from tidings.store import open_store

    db = tmp_path / "empty.duckdb"
    open_store(db).close()
    res = run("timeline", "--actor", "Xi", "--db", str(db))
    assert res.exit_code == 1
    assert "holds no events yet" in res.stderr and "tidings demo" in res.stderr


# --------------------------------------------------------------------------- messages


def test_summary_counts_what_the_store_holds(tmp_path: Path) -> None:
    from conftest import SHARED

    db = tmp_path / "s.duckdb"
    assert run("ingest", str(SHARED / "seeds"), "--db", str(db)).exit_code == 0
    again = run("ingest", str(SHARED / "seeds"), "--db", str(db))
    assert again.exit_code == 0
    line = again.stderr
    assert "Ingested 5 documents" in line and "5 unchanged" in line
    held = re.search(r"The store holds 5 documents, (\d+) event mentions and (\d+) events", line)
    assert held and int(held.group(1)) > 0 and int(held.group(2)) > 0
    one = tmp_path / "one.txt"
    one.write_text(" date 2024-03-01\nVietnam and Laos signed a trade agreement on Friday.\n")
    res = run("ingest", str(one), "--db", str(db))
    assert "Ingested 1 document " in res.stderr and "6 documents" in res.stderr


def test_demo_refuses_a_store_with_other_documents(events_db: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "real.duckdb"
    shutil.copy(events_db, db)
    before = db.read_bytes()
    res = run("demo", "--db", str(db), "--quiet")
    assert res.exit_code == 2
    assert "not the demo corpus" in res.stderr and "new --db path" in res.stderr
    assert db.read_bytes() == before


def test_lock_held_by_another_process_names_it(events_db: Path, tmp_path: Path) -> None:
    """A lock names the process that holds the store and what to do; the message for a
    real ``tidings serve`` (stop it or POST /articles) is tested in test_serve_lock.py."""
    import shutil

    from test_store import _HOLDER

    db = tmp_path / "held.duckdb"
    shutil.copy(events_db, db)
    # a holder whose command line reads like `tidings serve` (it is how the CLI tells)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db), "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        res = run("ingest", "-", "--db", str(db))
    finally:
        holder.communicate("\n", timeout=20)
    assert res.exit_code == 2
    line = res.stderr.strip()
    assert "\n" not in line
    assert f"is being written by process {holder.pid}" in line
    assert f"`kill {holder.pid}`" in line and "Nothing was read or written." in line


def test_recode_every_document_is_not_called_all() -> None:
    out = run("recode", "--help").stdout
    assert "--every-document" in out and "--all " not in out


def test_extract_writes_csv_and_other_formats_to_output(tmp_path: Path) -> None:
    import csv

    from conftest import SHARED

    seed = sorted((SHARED / "seeds").glob("*.txt"))[0]
    out = tmp_path / "new" / "events.csv"
    res = run("extract", str(seed), "--format", "csv", "--output", str(out))
    assert res.exit_code == 0, res.output
    assert res.stdout == "" and f"-> {out}" in res.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and {"doc", "event_date", "cameo", "sentence", "trigger"} <= set(rows[0])
    assert all(len(r["cameo"]) >= 3 for r in rows)  # codes keep their leading zero
    as_json = tmp_path / "events.json"
    assert run("extract", str(seed), "-f", "json", "-o", str(as_json)).exit_code == 0
    import json

    assert len(json.loads(as_json.read_text())) == len(rows)


def test_progress_of_one_large_file_is_by_bytes_read(tmp_path: Path) -> None:
    """One big JSONL file: progress comes from how far it has been read, not 0/1 files."""
    from tidings.cli.store_cmds import _file_sizes, bytes_done, read_position

    big = tmp_path / "big.jsonl"
    big.write_text("".join(f'{{"text": "Report {i}."}}\n' for i in range(2000)))
    size = big.stat().st_size
    sizes = _file_sizes([str(big)])
    assert sizes == {str(big): size}
    assert _file_sizes(["-"]) is None
    assert read_position(str(big)) is None  # not open yet
    with big.open("rb", buffering=0) as handle:  # the OS offset is what is read
        handle.read(size // 3)
        assert read_position(str(big)) == size // 3
        assert bytes_done(sizes, [], str(big)) == size // 3
    other = tmp_path / "other.txt"
    other.write_text("x" * 100)
    both = {**sizes, str(other): 100}
    assert bytes_done(both, [str(big)], str(other)) == size  # the first done, the next unopened


def test_ingest_progress_bar_runs_on_a_terminal(tmp_path: Path, monkeypatch) -> None:
    """With a terminal, ingest shows the bar (by bytes) and still stores everything."""
    from tidings.cli import _app, store_cmds

    monkeypatch.setattr(_app, "interactive", lambda: True)
    monkeypatch.setattr(store_cmds, "interactive", lambda: True)
    big = tmp_path / "big.jsonl"
    big.write_text("".join(f'{{"text": "Report number {i} of the day."}}\n' for i in range(300)))
    res = run(
        "ingest", str(big), "--no-code", "--batch-size", "50", "--db", str(tmp_path / "p.duckdb")
    )
    assert res.exit_code == 0, res.output
    assert "300 added" in res.stderr


def test_stats_offers_only_the_formats_it_prints(events_db: Path) -> None:
    help_text = run("stats", "--help").stdout
    assert "table|json" in help_text and "csv" not in help_text
    assert run("stats", "--format", "csv", "--db", str(events_db)).exit_code == 2
    res = run("stats", "--format", "json", "--db", str(events_db))
    assert res.exit_code == 0 and '"events"' in res.stdout


# --------------------------------------------------------------------------- Python API


def test_store_events_returns_every_row_or_pages(tmp_path: Path) -> None:
    """No silent cut at 100 rows: everything by default, pages when asked, or batches."""
    import datetime as dt

    from test_store import event, put_events
    from tidings.store import EventFilter, open_store

    store = open_store(tmp_path / "many.duckdb")
    day = dt.date(2020, 1, 1)
    put_events(
        store,
        [event(f"e{i:03d}", "VNM", "RUS", "040", day + dt.timedelta(days=i)) for i in range(250)],
    )
    assert store.events().num_rows == 250
    assert store.events(EventFilter(dyad=("VNM", "RUS"))).num_rows == 250
    assert store.events(limit=100).num_rows == 100
    assert store.mentions().num_rows == store.count_mentions()
    batches = list(store.iter_events(batch_size=100))
    assert [b.num_rows for b in batches] == [100, 100, 50]
    streamed = [r for b in batches for r in b.column("event_id").to_pylist()]
    assert streamed == store.events().column("event_id").to_pylist()


def test_outputs_take_the_table_store_events_returns(events_db: Path) -> None:
    import datetime as dt

    from tidings import charts, report, timeline
    from tidings.store import open_store

    table = open_store(events_db, read_only=True).events()
    rows = table.to_pylist()
    entries = timeline.entries_from_events(table)
    assert entries == timeline.entries_from_events(rows) and len(entries) == table.num_rows
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    page = report.build_report(table, "From a table", generated=when)
    assert page == report.build_report(rows, "From a table", generated=when)
    assert f"<b>{table.num_rows}</b>events" in page
    for kind in charts.KINDS:
        assert charts.chart(kind, table).to_json() == charts.chart(kind, rows).to_json()


def test_one_palette_for_charts_timeline_and_report() -> None:
    """tidings.palette is the one place the quad colours are written: charts, timeline,
    report, /meta and the page take them from it (the drawn colours are checked in
    Chromium by test_report_browser.py and test_web.py)."""
    import json

    from tidings import cameo, charts, palette, timeline

    fig = charts.monthly_figure([])
    assert [t.marker.color for t in fig.data] == [palette.QUAD_COLORS[q] for q in (1, 2, 3, 4)]
    assert palette.quad_css(".timeline li.q{n}") in timeline.TIMELINE_CSS
    assert cameo.QUAD_CLASS_NAMES == palette.QUAD_NAMES
    assert json.loads(palette.palette_json())["quad"]["2"]["color"] == palette.QUAD_COLORS[2]
    src = Path(palette.__file__).parent
    colours = [*palette.QUAD_COLORS.values(), palette.OTHER_COLOR]
    for path in src.rglob("*"):
        if path.suffix in {".py", ".js", ".css", ".html", ".j2"} and path != Path(palette.__file__):
            text = path.read_text(encoding="utf-8").lower()
            written = [c for c in colours if c.lower() in text]
            assert not written, f"{path.relative_to(src)} writes {written}: use tidings.palette"


# --------------------------------------------------------------------------- charts, report


def test_plotly_js_inline_cdn_or_directory(events_db: Path, tmp_path: Path) -> None:
    inline, cdn, shared = tmp_path / "i.html", tmp_path / "c.html", tmp_path / "d" / "m.html"
    for out, mode in ((inline, "inline"), (cdn, "cdn"), (shared, "directory")):
        res = run("chart", "--kind", "network", "--top", "3", "--output", str(out),
                  "--plotly-js", mode, "--db", str(events_db))  # fmt: skip
        assert res.exit_code == 0, res.output
    assert inline.stat().st_size > 1_000_000 and "<script src=" not in inline.read_text()
    assert cdn.stat().st_size < 100_000 and "cdn.plot.ly" in cdn.read_text()
    assert shared.stat().st_size < 100_000 and 'src="plotly.min.js"' in shared.read_text()
    assert (shared.parent / "plotly.min.js").stat().st_size > 1_000_000
    assert "(the 3 busiest of" in inline.read_text()
    page = tmp_path / "r.html"
    res = run("report", "--output", str(page), "--plotly-js", "cdn", "--db", str(events_db))
    assert res.exit_code == 0 and page.stat().st_size < 1_000_000
