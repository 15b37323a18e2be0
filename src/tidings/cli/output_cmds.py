"""Output commands: ``timeline``, ``chart``, ``report`` and ``export``.

Each parses its arguments into an :class:`~tidings.store.EventFilter`, opens the store
read-only and calls the library (:mod:`tidings.timeline`, :mod:`tidings.charts`,
:mod:`tidings.report`, :mod:`tidings.export`). Errors are one red line on stderr and
exit code 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape

from tidings.cli._app import app, console, err_console, errors_as_exit, fail
from tidings.raymerge import store_for
from tidings.store import EventFilter, open_store

DB_HELP = "Store file (DuckDB). Default: $TIDINGS_DB or ./tidings.duckdb."


class TimelineFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    json = "json"


class ChartKind(StrEnum):
    monthly = "monthly"
    goldstein = "goldstein"
    network = "network"


class ExportFormat(StrEnum):
    gdelt = "gdelt"
    icews = "icews"
    plover = "plover"
    tkg = "tkg"
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


@contextmanager
def _errors_as_exit() -> Iterator[None]:
    """As ``errors_as_exit``, and an unwritable output file is one red line too."""
    try:
        with errors_as_exit():
            yield
    except OSError as exc:  # unwritable output and the like
        raise fail(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}") from None


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


def _filter(
    dyad: tuple[str, str] | None,
    actor: str | None,
    since: str | None,
    until: str | None,
    include_domestic: bool = False,
) -> EventFilter:
    return EventFilter(
        actor=actor,
        dyad=(dyad[0], dyad[1]) if dyad and all(dyad) else None,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        include_domestic=include_domestic,
    )


def _title(flt: EventFilter, what: str) -> str:
    if flt.dyad:
        return f"{what}: {flt.dyad[0]} – {flt.dyad[1]}"
    if flt.actor:
        return f"{what}: {flt.actor}"
    return what


_DYAD = typer.Option(
    None, "--dyad", help="Two countries or actors, either direction.", metavar="A B"
)
_ACTOR = typer.Option(None, "--actor", help="Actor name, id or code (substring).")
_SINCE = typer.Option(None, "--since", help="First event day, YYYY-MM-DD.")
_UNTIL = typer.Option(None, "--until", help="Last event day, YYYY-MM-DD.")
_DB = typer.Option(None, "--db", help=DB_HELP, envvar="TIDINGS_DB")
_PARQUET = typer.Option(
    None, "--parquet", help="Read a Ray output folder (ingest --engine ray --output) instead."
)
_ALL = typer.Option(False, "--all", help="Include domestic events (both sides in one country).")


@app.command(rich_help_panel="Outputs")
def timeline(
    dyad: tuple[str, str] | None = _DYAD,
    actor: str | None = _ACTOR,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    include_domestic: bool = _ALL,
    fmt: TimelineFormat = typer.Option(TimelineFormat.markdown, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    db: Path | None = _DB,
    parquet: Path | None = _PARQUET,
) -> None:
    """One dated line per merged event: summary, best evidence, source count.

    [bold]Example:[/] tidings timeline --dyad VNM RUS --format html -o vnm-rus.html
    """
    from tidings import timeline as tl

    flt = _filter(dyad, actor, since, until, include_domestic)
    with _errors_as_exit():
        store = store_for(db, parquet)
        entries = tl.build_timeline(store, flt)
        text = tl.render(entries, fmt.value, _title(flt, "Timeline"))
        if output is None:
            console.out(text, end="", highlight=False)
        else:
            output.write_text(text, encoding="utf-8")
            err_console.print(f"{len(entries)} events -> {escape(str(output))}")


@app.command(rich_help_panel="Outputs")
def chart(
    kind: ChartKind = typer.Option(ChartKind.monthly, "--kind", "-k", help="Which chart."),
    dyad: tuple[str, str] | None = _DYAD,
    actor: str | None = _ACTOR,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    include_domestic: bool = _ALL,
    output: Path | None = typer.Option(None, "--output", "-o", help="Standalone HTML file."),
    png: Path | None = typer.Option(None, "--png", help="PNG file (renders with Chromium)."),
    db: Path | None = _DB,
) -> None:
    """Chart events: per month by QuadClass, Goldstein over time, or the actor network.

    [bold]Example:[/] tidings chart --kind goldstein --dyad VNM RUS -o g.html --png g.png
    """
    from tidings import charts
    from tidings.timeline import query_events

    if output is None and png is None:
        raise fail("give --output FILE.html and/or --png FILE.png")
    flt = _filter(dyad, actor, since, until, include_domestic)
    titles = {
        "monthly": "Events per month",
        "goldstein": "Goldstein score over time",
        "network": "Actor network",
    }
    with _errors_as_exit():
        store = open_store(db, read_only=True)
        events = query_events(store, flt)
        fig = charts.chart(kind.value, events, _title(flt, titles[kind.value]))
        for path, writer in ((output, charts.write_html), (png, charts.write_png)):
            if path is not None:
                writer(fig, path)
                err_console.print(f"{len(events)} events -> {escape(str(path))}")


@app.command(rich_help_panel="Outputs")
def report(
    dyad: tuple[str, str] | None = _DYAD,
    actor: str | None = _ACTOR,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    include_domestic: bool = _ALL,
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="HTML file."),
    db: Path | None = _DB,
) -> None:
    """One self-contained HTML report (timeline, charts, event table) that works offline.

    [bold]Example:[/] tidings report --dyad VNM RUS --output vnm-rus.html
    """
    from tidings.report import write_report

    flt = _filter(dyad, actor, since, until, include_domestic)
    with _errors_as_exit():
        store = open_store(db, read_only=True)
        path = write_report(store, output, flt, title=_title(flt, "Events"))
        err_console.print(f"report -> {escape(str(path))}")


@app.command(rich_help_panel="Outputs")
def export(
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="Output format."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write."),
    dyad: tuple[str, str] | None = _DYAD,
    actor: str | None = _ACTOR,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    include_domestic: bool = _ALL,
    header: bool = typer.Option(False, "--header", help="GDELT: add a header row."),
    mentions: bool = typer.Option(
        False, "--mentions", help="Export mentions instead of events (parquet/csv/jsonl)."
    ),
    tkg_ids: bool = typer.Option(
        False, "--tkg-ids", help="TKG: also write entity2id.txt and relation2id.txt."
    ),
    db: Path | None = _DB,
    parquet: Path | None = _PARQUET,
) -> None:
    """Export events as GDELT 2.0, ICEWS, PLOVER JSON, TKG quadruples, Parquet, CSV, JSONL.

    [bold]Example:[/] tidings export --format gdelt --output events.tsv --since 2024-01-01
    """
    from tidings.export import export as do_export

    flt = _filter(dyad, actor, since, until, include_domestic)
    with _errors_as_exit():
        store = store_for(db, parquet)
        res = do_export(
            store, fmt.value, output, flt, header=header, mentions=mentions, tkg_ids=tkg_ids
        )
        what = "mentions" if mentions else "events"
        err_console.print(f"{res.rows} {what} -> {escape(str(res.path))}")
        for extra in res.extra:
            err_console.print(f"ids -> {escape(str(extra))}")
