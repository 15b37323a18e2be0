"""Coder commands: ``extract`` (code files, no store), ``evaluate`` (score against a gold
file) and ``gate`` (the accuracy floors CI checks). Thin layers over
:mod:`tidings.coder`, :mod:`tidings.evaluate` and :mod:`tidings.gate`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tidings import coder
from tidings.cli._app import app, console, err_console
from tidings.coder import CoderOptions
from tidings.errors import InputError, TidingsError
from tidings.evaluate import (
    ArticleResult,
    Report,
    evaluate,
    mention_evidence,
    pred_label,
    read_articles,
)
from tidings.model import Article, Mention


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _fail(exc: TidingsError, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _options(actors: list[Path] | None, published: dt.datetime | None = None) -> CoderOptions:
    return CoderOptions(
        actors_files=tuple(actors or ()), published=published.date() if published else None
    )


# --------------------------------------------------------------------------- extract


def doc_name(article: Article) -> str:
    """The file's name; for a record inside a container, the file's name plus ``#id``."""
    origin = article.origin or ""
    file = re.sub(r"(#.*|:\d+)$", "", origin)
    base = Path(file).name if file else ""
    name = article.name or base or article.doc_id
    if not base or name.startswith(base):
        return name
    return f"{base}#{name}"


def event_record(article: Article, m: Mention) -> dict[str, Any]:
    """One extracted event as printed by ``tidings extract --format json/jsonl``."""
    return {
        "doc": doc_name(article),
        "doc_id": m.doc_id,
        "event_date": m.event_date.isoformat() if m.event_date else None,
        "date_exact": m.date_exact,
        "date_reason": m.date_reason,
        "source": m.source_name,
        "source_code": m.source_code,
        "source_country": m.source_country,
        "target": m.target_name,
        "target_code": m.target_code,
        "target_country": m.target_country,
        "cameo": m.cameo,
        "root": m.root,
        "cameo_name": m.cameo_name,
        "goldstein": m.goldstein,
        "quad_class": m.quad_class,
        "plover_type": m.plover_type,
        "symmetric": m.symmetric,
        "domestic": m.domestic,
        "rule": m.rule,
        "confidence": m.confidence,
        "evidence": mention_evidence(m),
    }


@app.command(rich_help_panel="Outputs")
def extract(
    files: list[Path] = typer.Argument(
        ..., help="Article files (txt, html, json/jsonl, csv, warc)."
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of standard output."
    ),
    actors: list[Path] = typer.Option(
        None,
        "--actors",
        exists=True,
        dir_okay=False,
        help="Extra actor file (adds to / overrides the packaged tables); repeatable.",
    ),
    include_all: bool = typer.Option(
        False, "--all", help="Include domestic events (default: international only)."
    ),
    published: dt.datetime | None = typer.Option(
        None,
        "--published",
        formats=["%Y-%m-%d"],
        help="Publication day (YYYY-MM-DD) for articles that carry no date.",
    ),
) -> None:
    """Code files without a store and print their events.

    [bold]Example:[/] tidings extract ../shared/seeds/*.txt --format csv -o events.csv
    """
    options = _options(actors, published)
    failed = False
    records: list[dict[str, Any]] = []
    stream = fmt is Format.jsonl and output is None  # print as coded: first lines come fast
    try:
        for item in read_articles(files):
            if isinstance(item, InputError):
                err_console.print(
                    f"[red]error:[/red] {escape(str(item))}", highlight=False, soft_wrap=True
                )
                failed = True
                continue
            for m in coder.code_article(item, options):
                if m.domestic and not include_all:
                    continue
                rec = event_record(item, m)
                if stream:
                    console.out(json.dumps(rec, ensure_ascii=False), highlight=False)
                else:
                    records.append(rec)
    except TidingsError as exc:
        raise _fail(exc) from None
    if not records and not stream:
        err_console.print("no events found")
    elif not stream:
        try:
            _write_extracted(records, fmt, output)
        except OSError as exc:
            raise _fail(TidingsError(f"{output}: {exc.strerror or exc}"), 2) from None
    if failed:
        raise typer.Exit(1)


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    """One extracted event as a flat row (CSV has no nesting): evidence fields inline.

    The day goes back to a date, so the CSV writer writes it as ``events`` does (a bare
    ISO day, not a quoted string).
    """
    evidence = rec.get("evidence") or {}
    row = {k: v for k, v in rec.items() if k != "evidence"}
    if row.get("event_date"):
        row["event_date"] = dt.date.fromisoformat(row["event_date"])
    for key, value in evidence.items():
        row[f"evidence_{key}" if key in row else key] = value
    return row


def _write_extracted(records: list[dict[str, Any]], fmt: Format, output: Path | None) -> None:
    """Write extracted events as ``fmt`` to ``output`` (stdout when None)."""
    if output is not None and not output.parent.exists():
        output.parent.mkdir(parents=True, exist_ok=True)
    if fmt is Format.csv:
        import pyarrow as pa

        from tidings.cli.store_cmds import Format as TableFormat
        from tidings.cli.store_cmds import write_table

        # the project's one CSV writer (quoting, formula defusing) for every CSV it writes
        write_table(pa.Table.from_pylist([_flat(r) for r in records]), TableFormat.csv, output)
    elif fmt is Format.table:
        table = Table("doc", "date", "source", "target", "cameo", "gs", "trigger")
        table.add_column("sentence", ratio=1, min_width=30)
        table.columns[0].no_wrap = table.columns[1].no_wrap = True
        for rec in records:
            _table_row(table, rec)
        if output is None:
            console.print(table)
        else:
            with output.open("w", encoding="utf-8") as handle:
                Console(file=handle, width=160).print(table)
    else:
        if fmt is Format.json:
            text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
        else:
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if output is None:
            console.out(text, end="", highlight=False)
        else:
            output.write_text(text, encoding="utf-8")
    if output is not None:
        err_console.print(f"{len(records)} events -> {escape(str(output))}")


def _table_row(table: Table, rec: dict[str, Any]) -> None:
    date = (rec["event_date"] or "?") + ("" if rec["date_exact"] else "~")
    src = f"{rec['source']} ({rec['source_code']})"
    tgt = f"{rec['target']} ({rec['target_code']})"
    sentence = rec["evidence"]["sentence"]
    if len(sentence) > 90:
        sentence = sentence[:87] + "..."
    table.add_row(
        rec["doc"],
        date,
        src,
        tgt,
        rec["cameo"],
        f"{rec['goldstein']:g}",
        rec["evidence"]["trigger"],
        sentence,
    )


# -------------------------------------------------------------------------- evaluate


def _fig(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render_report(report: Report, *, explain: bool = False) -> None:
    """Print a report: summary, groups, confusion by root, per-article errors."""
    summary = Table(title=f"Evaluation: {report.gold_path or 'gold'}")
    for col in ("scope", "articles", "TP", "FP", "FN", "precision", "recall", "F1", "exact date"):
        summary.add_column(col, justify="left" if col == "scope" else "right")
    scopes = [("overall", report.overall), *sorted(report.groups.items())]
    for scope, f in scopes:
        summary.add_row(
            scope,
            str(f.articles),
            str(f.tp),
            str(f.fp),
            str(f.fn),
            _fig(f.precision),
            _fig(f.recall),
            _fig(f.f1),
            _fig(f.exact_date_share),
        )
    console.print(summary)

    roots = sorted({r for pair in report.confusion for r in pair if r})
    if roots:
        conf = Table(title="Confusion by root", caption="rows: gold, columns: predicted; — none")
        conf.add_column("gold \\ pred")
        for r in [*roots, "—"]:
            conf.add_column(r, justify="right")
        for g in [*roots, ""]:
            cells = []
            for p in [*roots, ""]:
                n = report.confusion.get((g, p), 0)
                cells.append(("[green]" if g == p else "") + (str(n) if n else "·"))
            conf.add_row(g or "—", *cells)
        console.print(conf)

    for art in report.articles:
        if art.false_positives or art.false_negatives or art.error:
            _render_article(art, explain)


def _render_article(art: ArticleResult, explain: bool) -> None:
    head = Text(f"\n{art.file}", style="bold")
    if art.group:
        head.append(f"  [{art.group}]", style="dim")
    head.append(
        f"  TP {len(art.matches)}  FP {len(art.false_positives)}  FN {len(art.false_negatives)}"
    )
    console.print(head)
    if art.error:
        console.print(f"  [red]unreadable:[/red] {escape(art.error)}", highlight=False)
    for pred in art.false_positives:
        console.print(f"  [red]FP[/red] {pred_label(pred)}", highlight=False)
        for ev in art.evidence.get(pred, [])[: 3 if explain else 1]:
            console.print(
                f"     “{ev['sentence'].strip()}”", markup=False, highlight=False, soft_wrap=True
            )
            if explain:
                console.print(
                    f"     {ev['source']} ({ev['source_code']}) -> {ev['target']} "
                    f"({ev['target_code']}); trigger “{ev['trigger']}” -> {ev['cameo']} "
                    f"by rule {ev['rule']}; date {ev['event_date']} "
                    f"({'exact' if ev['date_exact'] else 'not exact'}: {ev['date_reason']})",
                    markup=False,
                    highlight=False,
                    style="dim",
                    soft_wrap=True,
                )
    near = {id(g): p for g, p in art.near_misses}
    for g in art.false_negatives:
        line = f"  [yellow]FN[/yellow] {g.label()}"
        if g.why:
            line += f"  [dim]({escape(g.why)})[/dim]"
        if id(g) in near:
            line += f"  [dim]near-miss: predicted {pred_label(near[id(g)])}[/dim]"
        console.print(line, highlight=False, soft_wrap=True)
        if explain:
            cands = art.candidates.get(g.key(), [])
            if not cands:
                console.print(
                    "     no sentence names actors of both countries", style="dim", highlight=False
                )
            for sent in cands:
                _render_candidate(sent)


def _render_candidate(sent: dict[str, Any]) -> None:
    console.print(
        f"     “{str(sent.get('text', '')).strip()}”", markup=False, highlight=False, soft_wrap=True
    )
    actors = ", ".join(
        f"{a.get('text')} ({a.get('code') or a.get('country')})" for a in sent.get("actors", [])
    )
    triggers = ", ".join(
        f"“{t.get('text')}” {t.get('cameo')} [{t.get('rule')}]" for t in sent.get("triggers", [])
    )
    dropped = ", ".join(
        f"{d.get('cameo')} [{d.get('rule')}]: {d.get('reason')}" for d in sent.get("dropped", [])
    )
    for label, value in (
        ("actors", actors),
        ("triggers", triggers or "none"),
        ("dropped", dropped),
        ("date", f"{sent.get('date')} ({sent.get('date_reason')})"),
    ):
        if value:
            console.print(
                f"       {label}: {value}",
                style="dim",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )


@app.command("evaluate", rich_help_panel="Quality")
def evaluate_cmd(
    gold: Path = typer.Argument(..., help="Gold file shaped like ../shared/gold/seeds.json."),
    docs: Path = typer.Option(..., "--docs", help="Directory holding the gold's article files."),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
    explain: bool = typer.Option(
        False, "--explain", help="For each error: actors, trigger, rule and date reasoning."
    ),
    actors: list[Path] = typer.Option(
        None, "--actors", exists=True, dir_okay=False, help="Extra actor file; repeatable."
    ),
) -> None:
    """Score the coder against a gold file: precision, recall, F1, exact-date share.

    [bold]Example:[/] tidings evaluate ../shared/gold/seeds.json --docs ../shared/seeds --explain
    """
    try:
        report = evaluate(gold, docs, _options(actors), explain=explain)
    except TidingsError as exc:
        raise _fail(exc) from None
    if as_json:
        console.out(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), highlight=False)
    else:
        render_report(report, explain=explain)


# ------------------------------------------------------------------------------ gate


@app.command("gate", rich_help_panel="Quality")
def gate_cmd(
    shared: Path = typer.Option(
        None, "--shared", help="Directory with gold/ and seeds/ (default: ../shared)."
    ),
    floors: Path = typer.Option(
        None, "--floors", help="Floors file (default: quality/floors.json in the repo)."
    ),
    readme: Path = typer.Option(None, "--readme", help="README whose accuracy block to rewrite."),
    update: bool = typer.Option(False, "--update", help="Raise floors to the current figures."),
    allow_regression: bool = typer.Option(
        False, "--allow-regression", help="Lower floors that dropped (needs --reason)."
    ),
    accept_gold_change: bool = typer.Option(
        False, "--accept-gold-change", help="Re-pin a changed gold set (needs --reason)."
    ),
    reason: str = typer.Option(None, "--reason", help="Why; written into the floors history."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Check accuracy on the shared gold sets against the pinned floors (CI runs this).

    [bold]Example:[/] tidings gate --shared ../shared
    """
    from tidings import gate

    try:
        result = gate.run_gate(
            shared,
            floors,
            update=update,
            allow_regression=allow_regression,
            accept_gold_change=accept_gold_change,
            reason=reason,
            readme=readme,
        )
    except TidingsError as exc:
        raise _fail(exc, 2) from None
    if as_json:
        out = {
            "passed": result.passed,
            "written": result.written,
            "failures": result.failures,
            "rows": [_row(r) for r in result.rows],
            "changed_articles": {
                s: {f: {"new": n, "fixed": x} for f, (n, x) in files.items()}
                for s, files in result.changed.items()
            },
        }
        console.out(json.dumps(out, indent=1), highlight=False)
    else:
        _render_gate(result)
    if not result.passed:
        raise typer.Exit(1)


def _row(r: Any) -> dict[str, Any]:
    return {k: getattr(r, k) for k in ("set", "scope", "figure", "value", "floor", "status")}


def _render_gate(result: Any) -> None:
    table = Table(title="Quality gate")
    for col in ("set", "scope", "figure", "value", "floor", "status"):
        table.add_column(col, justify="right" if col in ("value", "floor") else "left")
    style = {"DROPPED": "red", "gold changed": "red", "raised": "green", "lowered": "yellow"}
    for r in result.rows:
        value = r.value if isinstance(r.value, int) else _fig(r.value)
        floor = r.floor if isinstance(r.floor, int) else _fig(r.floor)
        table.add_row(
            r.set,
            r.scope,
            r.figure,
            str(value),
            str(floor),
            Text(r.status, style=style.get(r.status, "")),
        )
    console.print(table)
    for set_name, files in result.changed.items():
        if not files:
            continue
        console.print(f"\n[bold]{set_name}: articles whose errors changed since the floors[/bold]")
        for file, (new, fixed) in files.items():
            console.print(f"  {file}", markup=False, highlight=False)
            for k in new:
                console.print(f"    [red]+ {escape(k)}[/red]", highlight=False)
            for k in fixed:
                console.print(f"    [green]- {escape(k)}[/green]", highlight=False)
    for note in result.notes:
        err_console.print(note, markup=False, highlight=False, soft_wrap=True)
    if result.failures:
        err_console.print("[red bold]gate FAILED[/red bold]")
        for f in result.failures:
            err_console.print(f"  [red]•[/red] {escape(f)}", highlight=False, soft_wrap=True)
    else:
        msg = "gate passed"
        if result.written:
            msg += "; floors written" + (", README updated" if result.readme_updated else "")
        err_console.print(f"[green]{msg}[/green]")
