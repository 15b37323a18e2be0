"""One self-contained HTML report on a dyad: overview, charts, timeline, events, articles.

The file works offline and alone: plotly.js is embedded once, inline (``plotly_js="cdn"``
makes a small file that needs the internet); there are no other external URLs (no
fonts or images). The page is a Jinja2 template with autoescape on, so an article
containing ``<script>`` shows it as text. The overview says what was selected (the
filters), how many events, mentions and articles, the counts by direction and CAMEO
root, when the report was generated and by which version of tidings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from tidings import charts, timeline
from tidings.cameo import root_name
from tidings.palette import OTHER_COLOR, quad_css
from tidings.templating import environment

__all__ = ["build_report", "describe_filter", "report_articles", "write_report"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:0;
 background:#f6f7f9}
header{background:#1f2d3d;color:#fff;padding:1.2em 2em}
header h1{margin:0;font-size:1.6em}header p{margin:.3em 0 0 0;color:#c9d3de}
main{max-width:72em;margin:0 auto;padding:1em 2em 3em}
section{background:#fff;border-radius:6px;padding:1em 1.5em;margin:1.2em 0;
 box-shadow:0 1px 3px rgba(0,0,0,.08);overflow-x:auto}
h2{font-size:1.2em;margin-top:.2em}
.stats{display:flex;gap:2em;flex-wrap:wrap}.stats div{font-size:.9em;color:#555}
.stats b{display:block;font-size:1.6em;color:#1f2d3d}
.counts{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}
.counts table{width:auto;min-width:16em}
.filters{color:#555}
table{border-collapse:collapse;width:100%;font-size:.88em}
th,td{text-align:left;padding:.35em .5em;border-bottom:1px solid #e3e5e8;vertical-align:top}
th{background:#f0f2f5}td.num,th.num{text-align:right}
.evidence{color:#444;font-style:italic}
.chart{min-height:420px}
footer{color:#777;font-size:.85em;text-align:center;padding:1em}
"""
#: each event row marked with its quad class's colour, as the timeline and charts show it
_ROW_CSS = (
    quad_css("#events tr.q{n}")
    + f"#events tbody td:first-child{{border-left:4px solid var(--quad,{OTHER_COLOR})}}\n"
)


def _stats(events: list[dict[str, Any]], articles: int) -> list[tuple[str, str]]:
    if not events:
        return [("0", "events")]
    days = [e["event_date"] for e in events if e["event_date"] is not None]
    period = f"{min(days).isoformat()} – {max(days).isoformat()}" if days else "undated"
    mentions = sum(int(e.get("num_mentions") or 0) for e in events)
    mean = sum(float(e.get("goldstein") or 0) for e in events) / len(events)
    return [
        (str(len(events)), "events"),
        (str(mentions), "mentions"),
        (str(articles), "articles"),
        (period, "period"),
        (f"{mean:+.1f}", "mean Goldstein"),
    ]


def _by_direction(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Events per direction (source country -> target country), most first."""
    counts = Counter(
        f"{e.get('source_country') or '?'} → {e.get('target_country') or '?'}" for e in events
    )
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _by_root(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    counts = Counter(str(e.get("root") or "?") for e in events)
    return [(f"{r} {root_name(r) or ''}".strip(), n) for r, n in sorted(counts.items())]


def _plotly_head(plotly_js: str) -> str:
    if plotly_js == "inline":
        from plotly.offline import get_plotlyjs

        return f'<script type="text/javascript">{get_plotlyjs()}</script>'
    if plotly_js == "cdn":
        import plotly

        return f'<script src="https://cdn.plot.ly/plotly-{plotly.__version__}.min.js"></script>'
    if plotly_js == "directory":  # write_report puts plotly.min.js beside the page
        return '<script src="plotly.min.js"></script>'
    raise ValueError(f"plotly_js {plotly_js!r}: choose inline, cdn or directory")


def build_report(
    events: Any,
    title: str,
    *,
    subtitle: str = "",
    articles: list[dict[str, Any]] | None = None,
    filters: str = "no filters",
    plotly_js: str = "inline",
    generated: dt.datetime | None = None,
) -> str:
    """The report page for ``events`` as one HTML string.

    ``events`` are EVENT_SCHEMA dicts or the ``pyarrow.Table`` of ``store.events``;
    ``articles`` the reporting articles (dicts with ``title``, ``outlet``, ``url``,
    ``published`` and ``events``), as :func:`report_articles` returns them.
    """
    from tidings import __version__

    rows = charts.as_rows(events)
    articles = articles or []
    figs = [
        ("monthly", charts.monthly_figure(rows)),
        ("goldstein", charts.goldstein_figure(rows)),
        ("network", charts.network_figure(rows)),
    ]
    divs = [
        (
            kind,
            fig.to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=f"plot-{kind}",
                config={"displaylogo": False, "responsive": True},
            ),
        )
        for kind, fig in figs
    ]
    when = generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            subtitle=subtitle,
            css=_CSS + _ROW_CSS + timeline.TIMELINE_CSS,
            plotly_head=_plotly_head(plotly_js),
            stats=_stats(rows, len(articles)),
            filters=filters,
            by_direction=_by_direction(rows),
            by_root=_by_root(rows),
            charts=divs,
            entries=timeline.entries_from_events(rows),
            events=sorted(rows, key=lambda x: (x["event_date"] or dt.date.max, x["event_id"])),
            articles=articles,
            version=__version__,
            generated=when.isoformat().replace("+00:00", " UTC"),
        )
    )


def report_articles(store: Any, flt: Any = None) -> list[dict[str, Any]]:
    """The articles whose mentions make up the events matching ``flt``, oldest first, with
    how many of those events each one reports."""
    where, params = flt.where("e") if flt is not None else ("TRUE", [])
    sql = (
        "SELECT d.doc_id, d.name, d.title, d.outlet, d.url, d.published, "
        "count(DISTINCT m.event_id) AS events "
        f"FROM (SELECT e.event_id FROM events e WHERE {where}) sel "
        "JOIN mentions m ON m.event_id = sel.event_id "
        "JOIN documents d ON d.doc_id = m.doc_id "
        "GROUP BY ALL ORDER BY d.published NULLS LAST, d.title, d.doc_id"
    )
    with store.session() as con:
        rel = con.sql(sql, params=params)
        table = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
    return table.to_pylist()


def write_report(
    store: Any,
    output: str | Path,
    flt: Any = None,
    *,
    title: str | None = None,
    plotly_js: str = "inline",
) -> Path:
    """Write the report on the events of ``store`` matching ``flt`` to ``output``."""
    events = timeline.query_events(store, flt)
    if title is None:
        dyad = getattr(flt, "dyad", None)
        title = f"{dyad[0]} – {dyad[1]}: events" if dyad else "tidings: events"
    articles = report_articles(store, flt)
    n, a = len(events), len(articles)
    mentions = sum(int(e.get("num_mentions") or 0) for e in events)
    subtitle = (
        f"{n} merged event{'s' if n != 1 else ''} from {mentions} "
        f"mention{'s' if mentions != 1 else ''} in {a} article{'s' if a != 1 else ''}"
    )
    page = build_report(
        events,
        title,
        subtitle=subtitle,
        articles=articles,
        filters=describe_filter(flt) if flt is not None else "no filters",
        plotly_js=plotly_js,
    )
    path = Path(output)
    path.write_text(page, encoding="utf-8")
    if plotly_js == "directory":
        from plotly.offline import get_plotlyjs

        js = path.parent / "plotly.min.js"
        if not js.exists():
            js.write_text(get_plotlyjs(), encoding="utf-8")
    return path


def describe_filter(flt: Any) -> str:
    """The filters in words, for messages and report headers ("dyad VNM-RUS, since ...")."""
    parts = []
    if flt.dyad:
        parts.append(f"dyad {flt.dyad[0]}–{flt.dyad[1]}")
    for label, value in (
        ("actor", flt.actor),
        ("country", flt.country),
        ("code", flt.code),
        ("root", flt.root),
        ("quad class", flt.quad),
        ("since", flt.since),
        ("until", flt.until),
    ):
        if value is not None:
            parts.append(f"{label} {value}")
    if flt.include_domestic:
        parts.append("domestic included")
    return ", ".join(parts) or "no filters"
