"""Store commands: ``ingest``, ``events``, ``docs``, ``stats``, ``recode`` and ``demo``.

Each command parses its arguments, calls the library (:mod:`tidings.pipeline`,
:mod:`tidings.store`) and renders the result. Results go to stdout, messages,
progress and errors to stderr, so ``tidings events --format csv > out.csv`` is clean.
Exit codes: 0 fine, 1 some input failed, 2 usage or store errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from tidings.cli import _filters as F
from tidings.cli._app import app, console, err_console, errors_as_exit, fail, interactive
from tidings.coder import CoderOptions
from tidings.errors import InputError, StoreLocked, TidingsError
from tidings.ingest.limits import parse_size
from tidings.pipeline import CodingFailed, IngestIssue, IngestReport
from tidings.raymerge import store_for
from tidings.store import EventFilter, Store, open_store

__all__ = ["Format", "write_table"]

DB_HELP = "Store file (DuckDB). Default: $TIDINGS_DB or ./tidings.duckdb."


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    parquet = "parquet"


# --------------------------------------------------------------------------- helpers


def _open(db: Path | None, *, read_only: bool) -> Store:
    return open_store(db, read_only=read_only)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


_WRAP = frozenset({"evidence", "title", "event"})
_IDS = frozenset({"doc_id", "event_id"})
_DATES = frozenset({"event_date", "published"})


def write_table(
    table: pa.Table,
    fmt: Format,
    output: Path | None,
    *,
    title: str | None = None,
    columns: dict[str, str] | None = None,
    row_view: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Render ``table`` as ``fmt`` to ``output`` (stdout when None).

    ``columns`` (column -> header) and ``row_view`` shape the human ``table`` view only;
    the machine formats carry every column of ``table``.
    """
    if fmt is Format.parquet:
        if output is None:
            raise fail("--format parquet needs --output FILE (Parquet is binary)")
        import pyarrow.parquet as pq

        pq.write_table(table, output)
        err_console.print(f"wrote {table.num_rows} rows to {escape(str(output))}")
        return
    if fmt is Format.csv:  # the one CSV writer: same style and escaping as `export`
        from tidings.csvout import write_csv

        sys.stdout.flush()
        write_csv(table, output if output is not None else sys.stdout.buffer)
        return
    handle: TextIO
    close = False
    if output is None:
        handle = sys.stdout
    else:
        handle = open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
        close = True
    try:
        rows = table.to_pylist()
        if fmt is Format.json:
            json.dump(
                [{k: _jsonable(v) for k, v in r.items()} for r in rows],
                handle,
                ensure_ascii=False,
                indent=1,
            )
            handle.write("\n")
        elif fmt is Format.jsonl:
            for r in rows:
                handle.write(
                    json.dumps({k: _jsonable(v) for k, v in r.items()}, ensure_ascii=False)
                )
                handle.write("\n")
        else:
            view = [row_view(r) for r in rows] if row_view else rows
            cols = columns or {c: c for c in table.column_names}
            rich_table = Table(title=title, show_lines=False, header_style="bold")
            for col, header in cols.items():
                if col in _WRAP:  # long prose: wrap it, it is what the user reads
                    rich_table.add_column(header, overflow="fold", ratio=1, min_width=20)
                elif col in _IDS:  # ids are copied into other commands: never cut
                    rich_table.add_column(header, no_wrap=True, min_width=16)
                elif col in _DATES:
                    rich_table.add_column(header, no_wrap=True, min_width=10)
                else:
                    rich_table.add_column(header, overflow="ellipsis", no_wrap=True, max_width=40)
            for r in view:
                rich_table.add_row(*(escape(_cell(r.get(c))) for c in cols))
            if output is None and console.is_terminal:
                console.print(rich_table)
            else:  # a pipe or file has no width: do not squeeze the table into 80 columns
                Console(file=handle, width=160).print(rich_table)
    finally:
        if close:
            handle.close()


def _options(actors: list[Path] | None, published: dt.datetime | None = None) -> CoderOptions:
    options = CoderOptions(
        actors_files=tuple(actors or ()), published=published.date() if published else None
    )
    if actors:  # a malformed file fails once, up front (ActorTableError), not per article
        from tidings.actors import load_tables

        load_tables(options.actors_files)
    return options


_ORIGIN_SUFFIX = re.compile(r"[:#]\d+$")


def _file_of(origin: str | None) -> str | None:
    return _ORIGIN_SUFFIX.sub("", origin) if origin else None


def _file_sizes(paths: list[str]) -> dict[str, int] | None:
    """Each input file's size in bytes (for progress by bytes); None when stdin is read."""
    if "-" in paths:
        return None
    from tidings.ingest import iter_paths

    sizes: dict[str, int] = {}
    for p in iter_paths(paths):
        if isinstance(p, Path):
            try:
                sizes[str(p)] = p.stat().st_size
            except OSError:
                sizes[str(p)] = 0
    return sizes


def read_position(path: str) -> int | None:
    """How far this process has read into ``path``: the offset of an open descriptor on
    it (Linux ``/proc``), so one large file shows progress as it is read. None elsewhere."""
    real = os.path.realpath(path)
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"/proc/self/fd/{fd}") != real:
                continue
            with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as info:
                for line in info:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return None


def bytes_done(sizes: dict[str, int], finished: list[str], current: str | None) -> int:
    """Bytes read so far: the files finished, plus how far into the current one."""
    done = sum(sizes.get(f, 0) for f in finished)
    if current is not None:
        pos = read_position(current)
        done += min(pos, sizes.get(current, 0)) if pos is not None else 0
    return done


def _progress(by_bytes: bool = False) -> Progress:
    amount = DownloadColumn() if by_bytes else MofNCompleteColumn()
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        amount,
        TextColumn("{task.fields[docs]} docs · {task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _summary(report: IngestReport, store: Store, verb: str = "Ingested") -> None:
    """The end-of-run summary, on stderr (stdout stays for data): what this run changed,
    then what the store holds, so a re-run that adds nothing still shows the totals."""
    rate = report.docs_per_second
    line = (
        f"{verb} {_plural(report.read, 'document')} in {report.seconds:.1f}s "
        f"({rate:,.0f} docs/s): {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.failed} failed; "
        f"{_plural(report.mentions, 'new event mention')}."
    )
    try:
        info = store.stats()
        held = (
            f" The store holds {_plural(info['documents'], 'document')}, "
            f"{_plural(info['mentions'], 'event mention')} and "
            f"{_plural(info['events'], 'event')}: {store.path}"
        )
    except TidingsError:  # the summary must not fail a finished run
        held = f" Store: {store.path}"
    style = "yellow" if report.failed else "green"
    err_console.print(f"[{style}]{escape(line + held)}[/]", soft_wrap=True, highlight=False)


def _print_issue(issue: IngestIssue, target: Any = None) -> None:
    (target or err_console).print(
        f"[red]failed:[/] {escape(str(issue))}", soft_wrap=True, highlight=False
    )


def _run_ingest(
    paths: list[str],
    store: Store,
    *,
    options: CoderOptions,
    strict: bool,
    quiet: bool,
    max_bytes: int | None,
    batch_size: int,
    code: bool = True,
    workers: int = 1,
    max_total_bytes: int | None = None,
    keep: list[IngestReport] | None = None,
) -> IngestReport:
    """Run the pipeline with a progress bar on a terminal, one line per failed input.

    ``keep`` receives the running report, so that a caller can say what was done when
    the run stops half-way (the store taken by a server).
    """
    from tidings.pipeline import ingest

    def remember(report: IngestReport) -> None:
        if keep is not None and not keep:
            keep.append(report)

    run = functools.partial(
        ingest,
        paths,
        store,
        options=options,
        strict=strict,
        batch_size=batch_size,
        max_bytes=max_bytes,
        code=code,
        workers=workers,
        max_total_bytes=max_total_bytes,
    )
    from tidings.cli._notes import show_notes

    run = show_notes(run)  # skipped files, cut titles: one yellow line each
    show = interactive() and not quiet
    if not show:
        return run(on_error=_print_issue, progress=remember)
    sizes = _file_sizes(paths)
    with _progress(by_bytes=sizes is not None) as bar:
        total = sum(sizes.values()) if sizes is not None else None
        task = bar.add_task("ingest", total=total, docs=0, rate=0)
        started = time.perf_counter()
        seen: dict[str, None] = {}

        def on_progress(report: IngestReport) -> None:
            remember(report)
            current = _file_of(report.last_origin)
            if current is not None and current not in seen:
                seen[current] = None
            elapsed = max(time.perf_counter() - started, 1e-6)
            done = None
            if sizes is not None:  # by bytes: a single large file moves too
                done = bytes_done(sizes, list(seen)[:-1], current)
            bar.update(
                task,
                completed=done,
                docs=report.read,
                rate=f"{report.read / elapsed:,.0f}",
            )

        report = run(progress=on_progress, on_error=lambda issue: _print_issue(issue, bar.console))
        if total is not None:
            bar.update(task, completed=total)
    return report


# --------------------------------------------------------------------------- ingest


@app.command(rich_help_panel="Store")
def ingest(
    paths: list[str] = typer.Argument(
        ...,
        help="Files, folders (read recursively), globs, or - for JSONL on standard input.",
        metavar="PATH...",
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP, envvar="TIDINGS_DB"),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first bad input."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    actors: list[Path] | None = typer.Option(
        None,
        "--actors",
        help="Extra actor file (repeatable): adds to or overrides the packaged actors.",
        exists=True,
        dir_okay=False,
    ),
    max_bytes: int | None = typer.Option(
        None,
        "--max-bytes",
        min=1,
        help="Largest document (file, line, row, WARC record) to read, in bytes. "
        "Default 20 MiB or $TIDINGS_MAX_BYTES.",
    ),
    max_total: str | None = typer.Option(
        None,
        "--max-total-bytes",
        help="Most one input may decompress to, e.g. 2GiB. "
        "Default 8 GiB or $TIDINGS_MAX_TOTAL_BYTES.",
        metavar="SIZE",
    ),
    batch_size: int = typer.Option(500, "--batch-size", min=1, help="Documents per write."),
    no_code: bool = typer.Option(
        False, "--no-code", help="Store the documents without coding (run `recode` later)."
    ),
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, help="Coding processes (one writer either way)."
    ),
    engine: str = typer.Option(
        "local", "--engine", help="local (this machine) or ray (needs tidings\\[ray])."
    ),
    address: str | None = typer.Option(
        None, "--address", help="Ray cluster to join (--engine ray; default: a local Ray)."
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="--engine ray: folder for the Parquet output (documents, mentions by year/month).",
        file_okay=False,
    ),
    published: dt.datetime | None = typer.Option(
        None,
        "--published",
        formats=["%Y-%m-%d"],
        help="Publication day (YYYY-MM-DD) for articles that carry no date.",
    ),
) -> None:
    """Read news articles into the store and code their events.

    Reads .txt (optional first line " date YYYY-MM-DD"), .jsonl/.json, .csv/.tsv,
    .html and .warc(.gz). Ingesting the same documents again changes nothing; a page
    whose text changed replaces its old version. Exit code 1 if any input failed.

    [bold]Example:[/] tidings ingest ../shared/seeds --db news.duckdb --workers 4
    """
    if engine not in ("local", "ray"):
        raise fail(f"--engine {engine!r}: use local or ray")
    try:
        max_total_bytes = parse_size(max_total) if max_total else None
    except ValueError as err:
        raise fail(f"--max-total-bytes {err}") from None
    if engine == "ray":
        with errors_as_exit():
            options = _options(actors, published)
        limits = (max_bytes, max_total_bytes)
        _ray_ingest(paths, db, output, address, options, workers, limits, batch_size)
        return
    if address is not None or output is not None:
        raise fail("--address and --output go with --engine ray")
    done: list[IngestReport] = []
    with errors_as_exit():
        try:
            store = _open(db, read_only=False)
        except StoreLocked as exc:
            raise fail(f"{exc} Nothing was read or written.") from None
        try:
            report = _run_ingest(
                paths,
                store,
                options=_options(actors, published),
                strict=strict,
                quiet=quiet,
                max_bytes=max_bytes,
                batch_size=batch_size,
                code=not no_code,
                workers=workers,
                max_total_bytes=max_total_bytes,
                keep=done,
            )
        except (InputError, CodingFailed):
            raise typer.Exit(1) from None  # --strict: already printed by on_error
        except StoreLocked as exc:  # a server took the file between two batches
            raise fail(f"{exc} {_done_before_lock(done)}") from None
    if not quiet:
        _summary(report, store)
    if report.failed:
        raise typer.Exit(1)


def _done_before_lock(done: list[IngestReport]) -> str:
    """What an ingest stopped by a lock had done, and that a re-run resumes it."""
    if not done or not done[0].read:
        return "Nothing was read or written."
    r = done[0]
    stored = r.added + r.updated + r.unchanged
    return (
        f"Before that: read {r.read:,} documents, stored {stored:,} ({r.added:,} added, "
        f"{r.updated:,} updated, {r.unchanged:,} unchanged; {r.mentions:,} event mentions), "
        f"{r.failed:,} failed; the documents read after the last stored batch were not "
        "written. Run the same command again: stored documents are skipped."
    )


def _ray_ingest(
    paths: list[str],
    db: Path | None,
    output: Path | None,
    address: str | None,
    options: CoderOptions,
    workers: int,
    limits: tuple[int | None, int | None],
    batch_size: int,
) -> None:
    """``ingest --engine ray``: code on Ray into Parquet; load the store when asked.

    With --output and no --db (nor TIDINGS_DB) only the Parquet is written; otherwise it
    goes to a temporary folder (or --output) and is loaded into the store. ``limits``:
    --max-bytes and --max-total-bytes, applied by every read task as by the local readers.
    """
    from tidings import raycoder

    with errors_as_exit():
        raycoder.require_ray()
        if output is not None and db is None:
            run = raycoder.ray_ingest(
                paths,
                output,
                address=address,
                options=options,
                workers=workers if workers > 1 else None,
                max_bytes=limits[0],
                max_total_bytes=limits[1],
                progress=interactive(),
            )
            for issue in run.errors:
                _print_issue(issue)
            err_console.print(
                f"Coded {run.articles} documents from {run.files} files on Ray "
                f"({run.workers} workers) in {run.seconds:.1f}s: {run.mentions} event "
                f"mentions, {len(run.errors)} failed. Parquet: {escape(str(output))} "
                f"(query {escape(str(output))}/mentions/**/*.parquet with hive_partitioning)",
                soft_wrap=True,
                highlight=False,
            )
            if run.errors:
                raise typer.Exit(1)
            return
        store = _open(db, read_only=False)
        run = raycoder.ray_ingest_to_store(
            paths,
            store,
            output=output,
            address=address,
            options=options,
            workers=workers if workers > 1 else None,
            max_bytes=limits[0],
            max_total_bytes=limits[1],
            batch_size=batch_size,
            progress=interactive(),
        )
    report = run.report
    assert report is not None
    for issue in report.errors:
        _print_issue(issue)
    _summary(report, store)
    if report.failed:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- events

_EVENT_VIEW = {
    "event_id": "id",
    "event_date": "date",
    "source": "source",
    "event": "event",
    "target": "target",
    "num_articles": "articles",
}
_MENTION_COLUMNS = [
    "doc",
    "event_date",
    "source_name",
    "source_country",
    "target_name",
    "target_country",
    "cameo",
    "cameo_name",
    "event_id",
    "evidence",
    "doc_id",
    "mention_id",
]
_MENTION_VIEW = {
    "event_id": "event",
    "event_date": "date",
    "doc": "doc",
    "source_country": "src",
    "target_country": "tgt",
    "cameo": "cameo",
    "evidence": "evidence",
}


def _side(row: dict[str, Any], side: str) -> str:
    name = row.get(f"{side}_name") or row.get(f"{side}_id") or "?"
    country = row.get(f"{side}_country")
    return f"{name} ({country})" if country and country not in name else name


def _event_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "source": _side(row, "source"),
        "target": _side(row, "target"),
        "event": f"{row.get('cameo')} {row.get('cameo_name') or ''}".strip(),
    }


@app.command(rich_help_panel="Explore")
@F.with_filters
def events(
    flt: EventFilter,
    limit: int = typer.Option(100, "--limit", min=0, help="Rows to show (0 = all)."),
    mentions: bool = typer.Option(
        False, "--mentions", help="One row per mention (sentence) with its evidence."
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    allow_empty: bool = F.ALLOW_EMPTY,
    db: Path | None = F.DB,
    parquet: Path | None = F.PARQUET,
) -> None:
    """List coded events, newest first, with filters.

    [bold]Example:[/] tidings events --dyad Vietnam Russia --since 2021-01-01 --format csv
    """
    if fmt is Format.parquet and output is None:
        raise fail("--format parquet needs --output FILE (Parquet is binary)")
    with errors_as_exit():
        store = store_for(db, parquet)
        if mentions:
            table = store.mentions(flt, limit=limit or None)
            table = table.append_column("evidence", table.column("sentence"))
            table = table.select(_MENTION_COLUMNS)
            total = store.count_mentions(flt) if fmt is Format.table else table.num_rows
            what = "mentions"
            columns, view = _MENTION_VIEW, None
        else:
            table = store.events(flt, limit=limit or None)
            total = store.count_events(flt) if fmt is Format.table else table.num_rows
            what = "events"
            columns, view = _EVENT_VIEW, _event_row
        if table.num_rows == 0:
            F.no_events(store, flt, what, source=parquet)
            if fmt is Format.table:
                return
            if output is not None and not allow_empty:
                raise typer.Exit(1)
        write_table(table, fmt, output, columns=columns, row_view=view)
        if fmt is Format.table and total > table.num_rows:
            err_console.print(f"{table.num_rows} of {total} {what}; use --limit 0 for all.")


# --------------------------------------------------------------------------- docs

_DOC_VIEW = {
    "doc_id": "id",
    "published": "published",
    "name": "name",
    "outlet": "outlet",
    "chars": "chars",
    "mentions": "mentions",
}


@app.command(rich_help_panel="Explore")
def docs(
    doc_id: str | None = typer.Argument(None, help="Show this document's text and mentions."),
    limit: int = typer.Option(100, "--limit", min=0, help="Rows to show (0 = all)."),
    offset: int = typer.Option(0, "--offset", min=0, help="Rows to skip."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP, envvar="TIDINGS_DB"),
) -> None:
    """List stored documents, or show one with its text and mentions.

    [bold]Example:[/] tidings docs --limit 20    or    tidings docs 3f2a9c0d1e4b5a67
    """
    with errors_as_exit():
        store = _open(db, read_only=True)
        if doc_id is not None:
            doc = store.document(doc_id)
            if doc is None:
                raise fail(f"no document with id {doc_id!r}")
            if fmt in (Format.json, Format.jsonl):
                text = json.dumps(
                    doc,
                    default=_jsonable,
                    ensure_ascii=False,
                    indent=1 if fmt is Format.json else None,
                )
                console.print(text, markup=False, highlight=False, soft_wrap=True)
                return
            head = ", ".join(
                f"{k}: {_cell(doc.get(k))}"
                for k in ("name", "published", "title", "url", "outlet", "coder_version")
                if doc.get(k)
            )
            # no highlighter: its regexes are quadratic on a long run without spaces
            console.print(
                f"[bold]{escape(doc_id)}[/] {escape(head)}", soft_wrap=True, highlight=False
            )
            console.print(doc["text"], markup=False, highlight=False)
            for m in doc["mentions"]:
                console.print(
                    f"- {m['event_date']} {m['source_name']} -> {m['cameo']} -> "
                    f"{m['target_name']}: {m['sentence']}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )
            return
        if fmt is Format.parquet and output is None:
            raise fail("--format parquet needs --output FILE (Parquet is binary)")
        table = store.documents(limit=limit or None, offset=offset)
        if fmt is Format.table and table.num_rows == 0:
            err_console.print("No documents stored yet; add some with `tidings ingest PATH`.")
            return
        write_table(table, fmt, output, columns=_DOC_VIEW)
        total = store.count_documents()
        if fmt is Format.table and total > table.num_rows:
            err_console.print(f"{table.num_rows} of {total} documents; use --limit 0 for all.")


# --------------------------------------------------------------------------- stats


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


@app.command(rich_help_panel="Explore")
def stats(
    fmt: StatsFormat = typer.Option(StatsFormat.table, "--format", "-f", help="table or json."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP, envvar="TIDINGS_DB"),
) -> None:
    """What the store holds: documents, mentions, events, dates, CAMEO roots.

    [bold]Example:[/] tidings stats --db news.duckdb --format json
    """
    with errors_as_exit():
        info = open_store(db, read_only=True).stats()
    if fmt is StatsFormat.json:
        text = json.dumps(info, default=_jsonable, indent=1)
        console.print(text, markup=False, highlight=False, soft_wrap=True)
        return
    _print_stats(info)


def _print_stats(info: dict[str, Any]) -> None:
    grid = Table(show_header=False, box=None)
    grid.add_column(style="bold")
    grid.add_column()
    for key, label in (
        ("path", "store"),
        ("documents", "documents"),
        ("mentions", "event mentions"),
        ("events", "events"),
    ):
        grid.add_row(label, escape(_cell(info[key])))
    if info["first_event"]:
        grid.add_row("event days", f"{info['first_event']} to {info['last_event']}")
    if info["first_published"]:
        grid.add_row("published", f"{info['first_published']} to {info['last_published']}")
    if info["by_quad"]:
        grid.add_row("by quad class", ", ".join(f"{k}: {v}" for k, v in info["by_quad"].items()))
    if info["by_root"]:
        grid.add_row("by CAMEO root", ", ".join(f"{k}: {v}" for k, v in info["by_root"].items()))
    if info["coder_versions"]:
        grid.add_row(
            "coder versions", ", ".join(f"{k}: {v}" for k, v in info["coder_versions"].items())
        )
    if info["ingest_errors"]:
        grid.add_row("inputs that failed", str(info["ingest_errors"]))
    console.print(grid)


# --------------------------------------------------------------------------- recode


@app.command(rich_help_panel="Store")
def recode(
    everything: bool = typer.Option(
        False,
        "--every-document",
        help="Re-code every document, not only those of older coder versions "
        "(e.g. after adding --actors).",
    ),
    actors: list[Path] | None = typer.Option(
        None, "--actors", help="Extra actor file (repeatable).", exists=True, dir_okay=False
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP, envvar="TIDINGS_DB"),
) -> None:
    """Re-code stored documents after a coder upgrade (or new --actors) and re-merge.

    [bold]Example:[/] tidings recode --every-document --actors my_actors.yaml
    """
    from tidings.pipeline import recode as run_recode

    with errors_as_exit():
        store = _open(db, read_only=False)
        if interactive() and not quiet:
            with _progress() as bar:
                task = bar.add_task("recode", total=None, docs=0, rate=0)
                started = time.perf_counter()

                def on_progress(report: IngestReport, total: int) -> None:
                    rate = report.read / max(time.perf_counter() - started, 1e-6)
                    bar.update(
                        task,
                        total=total,
                        completed=report.read,
                        docs=report.read,
                        rate=f"{rate:,.0f}",
                    )

                report = run_recode(
                    store, options=_options(actors), everything=everything, progress=on_progress
                )
        else:
            report = run_recode(store, options=_options(actors), everything=everything)
    for issue in report.errors:
        _print_issue(issue)
    if not quiet:
        _summary(report, store, verb="Re-coded")
    if report.failed:
        raise typer.Exit(1)


# --------------------------------------------------------------------------- demo


def _demo_folder(scratch: Path) -> Path:
    """The packaged demo corpus as a real folder (copied out if the package is zipped)."""
    # articles/ only: demo/ also holds README.md and gold.json, which are not articles
    root = resources.files("tidings") / "data" / "demo" / "articles"
    if isinstance(root, Path):
        if not root.is_dir():
            raise fail(f"the demo corpus is missing from this installation ({root})")
        return root
    target = scratch / "demo"  # pragma: no cover - zipped or otherwise unusual installs

    def copy(node: Any, dest: Path) -> None:  # pragma: no cover
        dest.mkdir(parents=True, exist_ok=True)
        for child in node.iterdir():
            if child.is_dir():
                copy(child, dest / child.name)
            else:
                (dest / child.name).write_bytes(child.read_bytes())

    copy(root, target)  # pragma: no cover
    return target  # pragma: no cover


def _refuse_other_documents(store: Store) -> None:
    """``demo`` fills a fresh store: adding 46 invented reports to a real one would mix
    them into its events, so a store holding anything but the demo corpus is refused."""
    with store.session() as con:
        others = con.execute(
            "SELECT count(*) FROM documents WHERE coalesce(replace(origin, '\\', '/'), '') "
            "NOT LIKE '%/tidings/data/demo/articles/%'"
        ).fetchone()[0]
    if others:
        raise fail(
            f"{store.path} holds {_plural(others, 'document')} that are not the demo corpus; "
            "the demo fills a store of its own: give a new --db path (or none, for a "
            "temporary one)"
        )


@app.command(rich_help_panel="Store")
def demo(
    db: Path | None = typer.Option(
        None, "--db", help="Store to fill (default: a fresh temporary one)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    limit: int = typer.Option(15, "--limit", min=1, help="Sample events to show."),
) -> None:
    """Ingest the bundled demo corpus into a fresh store and show what came out.

    A --db that holds other documents is refused (the demo reports are invented).

    [bold]Example:[/] tidings demo    (then explore with tidings events --db PATH)
    """
    if db is not None and db.exists():
        with errors_as_exit():
            _refuse_other_documents(_open(db, read_only=True))
    scratch = Path(tempfile.mkdtemp(prefix="tidings-demo-"))
    target = db or scratch / "demo.duckdb"
    with errors_as_exit():
        folder = _demo_folder(scratch)
        store = _open(target, read_only=False)
        report = _run_ingest(
            [str(folder)],
            store,
            options=CoderOptions(),
            strict=False,
            quiet=quiet,
            max_bytes=None,
            batch_size=500,
        )
        _summary(report, store)
        info = store.stats()
        table = store.events(EventFilter(), limit=limit, order="num_articles DESC, event_date DESC")
    console.print(
        f"[bold]{info['documents']}[/] documents, [bold]{info['mentions']}[/] event mentions, "
        f"[bold]{info['events']}[/] events.",
        highlight=False,
    )
    if table.num_rows:
        write_table(
            table,
            Format.table,
            None,
            title="Sample events (most reported first)",
            columns=_EVENT_VIEW,
            row_view=_event_row,
        )
    else:
        console.print("No events coded yet (is the coder installed?).")
    console.print(
        f"Store: {escape(str(target))}\nTry: tidings events --db {escape(str(target))} --limit 20",
        highlight=False,
        soft_wrap=True,
    )
    if db is not None:
        shutil.rmtree(scratch, ignore_errors=True)
