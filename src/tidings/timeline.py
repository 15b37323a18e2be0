"""Timelines: one dated line per merged event, for reading a relationship over time.

Each entry carries a one-line summary built from the event ("Vladimir Putin (RUS)
visited Nguyen Phu Trong (VNM)", templates per CAMEO code in
``data/summary_templates.yaml``), its best evidence sentence and how many outlets
reported it. Rendered as Markdown, HTML (every string from articles escaped) or JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from tidings.palette import OTHER_COLOR, quad_css
from tidings.templating import environment

__all__ = [
    "TimelineEntry",
    "build_timeline",
    "entries_from_events",
    "query_events",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "summary",
]


@dataclass(slots=True)
class TimelineEntry:
    """One event on a timeline."""

    event_id: str
    date: dt.date
    date_exact: bool
    summary: str
    evidence: str
    num_sources: int
    num_articles: int
    num_mentions: int
    cameo: str
    cameo_name: str
    quad_class: int
    goldstein: float
    location: str | None
    doc_id: str | None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        return d


@lru_cache(maxsize=1)
def _templates() -> dict[str, str]:
    text = resources.files("tidings").joinpath("data/summary_templates.yaml").read_text("utf-8")
    return {str(k): str(v) for k, v in (yaml.safe_load(text) or {}).items()}


def _actor(name: str | None, country: str | None) -> str:
    name = (name or "?").strip()
    if country and country != name and f"({country})" not in name:
        return f"{name} ({country})"
    return name


def summary(event: dict[str, Any]) -> str:
    """A one-line description of an event from its actors and CAMEO code."""
    templates = _templates()
    cameo = event.get("cameo") or ""
    template = None
    for key in (cameo, cameo[:3], event.get("root") or cameo[:2]):
        if key and key in templates:
            template = templates[key]
            break
    src = _actor(event.get("source_name"), event.get("source_country"))
    tgt = _actor(event.get("target_name"), event.get("target_country"))
    name = event.get("cameo_name") or cameo
    if template is None:
        return f"{src}: {name.lower()} ({tgt})"
    return template.format(source=src, target=tgt, name=name)


def entries_from_events(events: Any) -> list[TimelineEntry]:
    """Timeline entries, oldest first, from event rows: dicts of EVENT_SCHEMA columns or
    the ``pyarrow.Table`` that ``store.events`` returns.

    Events whose day the text does not give (``event_date`` null) have no place on a
    timeline and are left out."""
    to_pylist = getattr(events, "to_pylist", None)
    rows = to_pylist() if to_pylist is not None else events
    out = []
    for e in rows:
        if e["event_date"] is None:
            continue
        out.append(
            TimelineEntry(
                event_id=e["event_id"],
                date=e["event_date"],
                date_exact=bool(e.get("date_exact")),
                summary=summary(e),
                evidence=e.get("evidence") or "",
                num_sources=int(e.get("num_sources") or 0),
                num_articles=int(e.get("num_articles") or 0),
                num_mentions=int(e.get("num_mentions") or 0),
                cameo=e.get("cameo") or "",
                cameo_name=e.get("cameo_name") or "",
                quad_class=int(e.get("quad_class") or 0),
                goldstein=float(e.get("goldstein") or 0.0),
                location=e.get("location_name"),
                doc_id=e.get("doc_id"),
                url=e.get("url"),
            )
        )
    out.sort(key=lambda t: (t.date, t.event_id))
    return out


def query_events(store: Any, flt: Any = None, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Events matching ``flt`` (an ``EventFilter``), oldest first, each with its ``url``."""
    session = getattr(store, "session", None)
    if session is None:
        return _query(store, flt, limit)
    with session() as con:
        return _query(con, flt, limit)


def build_timeline(store: Any, flt: Any = None, *, limit: int | None = None) -> list[TimelineEntry]:
    """The timeline of the events in ``store`` matching ``flt`` (an ``EventFilter``)."""
    return entries_from_events(query_events(store, flt, limit=limit))


def _query(con: Any, flt: Any, limit: int | None) -> list[dict[str, Any]]:
    where, params = flt.where("e") if flt is not None else ("TRUE", [])
    docs = bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'documents'"
        ).fetchall()[0][0]
    )
    url = "d.url AS url" if docs else "NULL AS url"
    join = "LEFT JOIN documents d ON d.doc_id = e.doc_id" if docs else ""
    sql = f"SELECT e.*, {url} FROM events e {join} WHERE {where} ORDER BY e.event_date, e.event_id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    rel = con.sql(sql, params=params)
    table = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
    return table.to_pylist()


def _sources(t: TimelineEntry) -> str:
    return f"{t.num_sources} source" + ("" if t.num_sources == 1 else "s")


def render_markdown(entries: list[TimelineEntry], title: str = "Timeline") -> str:
    """A Markdown list: date, summary, source count, then the evidence as a quote."""

    def md(text: str) -> str:  # keep article text from turning into Markdown/HTML
        text = " ".join(text.split())
        for ch in "\\`*_[]<>#|":
            text = text.replace(ch, "\\" + ch)
        return text

    lines = [f"# {md(title)}", ""]
    if not entries:
        lines.append("_No events._")
    for t in entries:
        approx = "" if t.date_exact else " (approx.)"
        where = f", {md(t.location)}" if t.location else ""
        lines.append(f"- **{t.date.isoformat()}**{approx}{where}: {md(t.summary)} ({_sources(t)})")
        if t.evidence:
            lines.append(f"  > {md(t.evidence)}")
    return "\n".join(lines) + "\n"


def render_html_fragment(entries: list[TimelineEntry]) -> str:
    """The timeline as an HTML ``<ol>`` (no page around it), every string escaped."""
    module = environment().get_template("_timeline.html.j2").module
    return str(module.timeline_list(entries))  # type: ignore[attr-defined]


def _timeline_css() -> str:
    # each entry's dot takes its class's --quad colour (tidings.palette.quad_css)
    dot = f".timeline li::before{{background:var(--quad,{OTHER_COLOR})}}"
    return _TIMELINE_CSS + quad_css(".timeline li.q{n}") + dot + "\n"


_TIMELINE_CSS = """
.timeline{list-style:none;padding-left:0;border-left:3px solid #c8ccd2;margin-left:.5em}
.timeline li{margin:0 0 1em 0;padding-left:1em;position:relative}
.timeline li::before{content:"";position:absolute;left:-.55em;top:.35em;width:.7em;
 height:.7em;border-radius:50%}
.timeline time{font-weight:600;margin-right:.4em}
.timeline .sources,.timeline .approx,.timeline .where{color:#666;font-size:.9em}
.timeline blockquote{margin:.3em 0 0 0;color:#444;font-style:italic}
"""
#: the timeline's CSS, with the quad-class colours of :mod:`tidings.palette`
TIMELINE_CSS = _timeline_css()


def render_html(entries: list[TimelineEntry], title: str = "Timeline") -> str:
    """A standalone HTML page (no external resources), rendered with autoescape."""
    template = environment().get_template("timeline.html.j2")
    return template.render(entries=entries, title=title, css=TIMELINE_CSS)


def render_json(entries: list[TimelineEntry]) -> str:
    """A JSON array of entries (dates as ISO strings)."""
    return json.dumps([t.to_dict() for t in entries], ensure_ascii=False, indent=1) + "\n"


def render(entries: list[TimelineEntry], fmt: str, title: str = "Timeline") -> str:
    """Render as ``markdown``, ``html`` or ``json``."""
    if fmt == "markdown":
        return render_markdown(entries, title)
    if fmt == "html":
        return render_html(entries, title)
    if fmt == "json":
        return render_json(entries)
    raise ValueError(f"unknown timeline format {fmt!r}")
