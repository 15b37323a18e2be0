"""Output commands: ``timeline``, ``chart``, ``report`` and ``export``.

Each parses its arguments into an :class:`~tidings.store.EventFilter`, opens the store
read-only and calls the library (:mod:`tidings.timeline`, :mod:`tidings.charts`,
:mod:`tidings.report`, :mod:`tidings.export`). Errors are one red line on stderr and
exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape

from tidings.cli import _filters as F
from tidings.cli._app import app, console, err_console, errors_as_exit, fail
from tidings.raymerge import store_for
from tidings.store import EventFilter


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


def _title(flt: EventFilter, what: str) -> str:
    if flt.dyad:
        return f"{what}: {flt.dyad[0]} – {flt.dyad[1]}"
    if flt.actor:
        return f"{what}: {flt.actor}"
    if flt.country:
        return f"{what}: {flt.country}"
    return what


def _parent_folder(path: Path | None) -> None:
    """Create the output's folder, as a user who names ``tkg/train.txt`` expects."""
    if path is not None and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)


class PlotlyJs(StrEnum):
    inline = "inline"
    cdn = "cdn"
    directory = "directory"


_PLOTLY_JS = typer.Option(
    PlotlyJs.inline,
    "--plotly-js",
    help="plotly.js inline (works offline; ~4.8 MB), from the cdn, or as plotly.min.js "
    "in the output's directory (shared by every chart there).",
)


@app.command(rich_help_panel="Outputs")
@F.with_filters
def timeline(
    flt: EventFilter,
    fmt: TimelineFormat = typer.Option(
        TimelineFormat.markdown, "--format", "-f", help="markdown, html or json."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    allow_empty: bool = F.ALLOW_EMPTY,
    db: Path | None = F.DB,
    parquet: Path | None = F.PARQUET,
) -> None:
    """One dated line per merged event: summary, best evidence, source count.

    [bold]Example:[/] tidings timeline --dyad VNM RUS --format html -o vnm-rus.html
    """
    from tidings import timeline as tl

    with _errors_as_exit():
        store = store_for(db, parquet)
        entries = tl.build_timeline(store, flt)
        if not entries:
            F.no_events(store, flt, source=parquet)
            if not allow_empty:
                raise typer.Exit(1)
        text = tl.render(entries, fmt.value, _title(flt, "Timeline"))
        if output is None:
            console.out(text, end="", highlight=False)
        else:
            _parent_folder(output)
            output.write_text(text, encoding="utf-8")
            err_console.print(f"{len(entries)} events -> {escape(str(output))}")


@app.command(rich_help_panel="Outputs")
@F.with_filters
def chart(
    flt: EventFilter,
    kind: ChartKind = typer.Option(ChartKind.monthly, "--kind", "-k", help="Which chart."),
    top: int | None = typer.Option(
        None, "--top", min=1, help="Network: keep the N actors with the most events."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Standalone HTML file."),
    png: Path | None = typer.Option(
        None, "--png", help="PNG file (needs tidings\\[png] and Chromium)."
    ),
    plotly_js: PlotlyJs = _PLOTLY_JS,
    allow_empty: bool = F.ALLOW_EMPTY,
    db: Path | None = F.DB,
    parquet: Path | None = F.PARQUET,
) -> None:
    """Chart events: per month by QuadClass, Goldstein over time, or the actor network.

    [bold]Example:[/] tidings chart --kind goldstein --dyad VNM RUS -o g.html --png g.png
    """
    from tidings import charts
    from tidings.timeline import query_events

    if output is None and png is None:
        raise fail("give --output FILE.html and/or --png FILE.png")
    titles = {
        "monthly": "Events per month",
        "goldstein": "Goldstein score over time",
        "network": "Actor network",
    }
    with _errors_as_exit():
        store = store_for(db, parquet)
        events = query_events(store, flt)
        if not events:
            F.no_events(store, flt, source=parquet)
            if not allow_empty:
                raise typer.Exit(1)
        fig = charts.chart(kind.value, events, _title(flt, titles[kind.value]), top=top)
        if output is not None:
            _parent_folder(output)
            charts.write_html(fig, output, plotly_js=plotly_js.value)
            err_console.print(f"{len(events)} events -> {escape(str(output))}")
        if png is not None:
            _parent_folder(png)
            charts.write_png(fig, png)
            err_console.print(f"{len(events)} events -> {escape(str(png))}")


@app.command(rich_help_panel="Outputs")
@F.with_filters
def report(
    flt: EventFilter,
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="HTML file."),
    plotly_js: PlotlyJs = _PLOTLY_JS,
    allow_empty: bool = F.ALLOW_EMPTY,
    db: Path | None = F.DB,
    parquet: Path | None = F.PARQUET,
) -> None:
    """One self-contained HTML report (overview, charts, timeline, events, articles).

    [bold]Example:[/] tidings report --dyad VNM RUS --output vnm-rus.html
    """
    from tidings.report import write_report
    from tidings.timeline import query_events

    with _errors_as_exit():
        store = store_for(db, parquet)
        if not query_events(store, flt, limit=1):
            F.no_events(store, flt, source=parquet)
            if not allow_empty:
                raise typer.Exit(1)
        _parent_folder(output)
        path = write_report(
            store, output, flt, title=_title(flt, "Events"), plotly_js=plotly_js.value
        )
        err_console.print(f"report -> {escape(str(path))}")


@app.command(rich_help_panel="Outputs")
@F.with_filters
def export(
    flt: EventFilter,
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="Output format."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="File to write (its folder is created)."
    ),
    header: bool = typer.Option(False, "--header", help="GDELT: add a header row."),
    mentions: bool = typer.Option(
        False, "--mentions", help="Export mentions instead of events (parquet/csv/jsonl)."
    ),
    tkg_ids: bool = typer.Option(
        False, "--tkg-ids", help="TKG: also write entity2id.txt and relation2id.txt."
    ),
    allow_empty: bool = F.ALLOW_EMPTY,
    db: Path | None = F.DB,
    parquet: Path | None = F.PARQUET,
) -> None:
    """Export events as GDELT 2.0, ICEWS, PLOVER JSON, TKG quadruples, Parquet, CSV, JSONL.

    Takes the same filters as `tidings events`.

    [bold]Example:[/] tidings export --format gdelt --output events.tsv --since 2024-01-01
    """
    from tidings.export import export as do_export

    with _errors_as_exit():
        store = store_for(db, parquet)
        count = store.count_mentions(flt) if mentions else store.count_events(flt)
        if count == 0:
            F.no_events(store, flt, "mentions" if mentions else "events", source=parquet)
            if not allow_empty:
                raise typer.Exit(1)
        _parent_folder(output)
        res = do_export(
            store, fmt.value, output, flt, header=header, mentions=mentions, tkg_ids=tkg_ids
        )
        what = "mentions" if mentions else "events"
        err_console.print(f"{res.rows} {what} -> {escape(str(res.path))}")
        for extra in res.extra:
            err_console.print(f"ids -> {escape(str(extra))}")
