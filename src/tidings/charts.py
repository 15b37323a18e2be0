"""Charts of merged events (plotly): standalone HTML and PNG.

* ``monthly``: events per month, stacked by QuadClass (verbal/material cooperation and
  conflict) - the classic event-data overview; months without events stay on the axis;
* ``goldstein``: the Goldstein score over time for a dyad: each event as a marker, the
  daily or monthly mean as a line that breaks where no event happened, so a three-year
  silence shows as a gap, not as a straight line;
* ``network``: who acts towards whom: the busiest actors (``top``) on a circle, an arrow
  per direction as wide as its number of events and coloured by their mean Goldstein.

Every chart puts real dates on its x axis. HTML output embeds plotly.js inline by
default (no CDN), so a chart opens offline; ``plotly_js="cdn"`` or ``"directory"``
makes small files. PNG output needs the ``png`` extra (kaleido 1.x), which drives a
Chrome/Chromium; Debian's ``/usr/bin/chromium`` is used when no browser is configured
(``BROWSER_PATH``). Colours come from :mod:`tidings.palette`.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from tidings.errors import TidingsError
from tidings.palette import GOLDSTEIN_SCALE, OTHER_COLOR, QUAD_COLORS, QUAD_NAMES

__all__ = [
    "KINDS",
    "PLOTLY_JS",
    "as_rows",
    "chart",
    "goldstein_figure",
    "monthly_figure",
    "network_figure",
    "write_html",
    "write_png",
]

KINDS = ("monthly", "goldstein", "network")
#: how a chart's HTML gets plotly.js: inline (offline), from the CDN, or as a file beside it
PLOTLY_JS = ("inline", "cdn", "directory")
#: the network chart's default number of actors: more is an unreadable ring
DEFAULT_TOP = 30

Events = Sequence[dict[str, Any]] | Any  # a list of EVENT_SCHEMA dicts or a pyarrow Table


def as_rows(events: Events) -> list[dict[str, Any]]:
    """Event rows as dicts, from a list of dicts or the ``pyarrow.Table`` of ``store.events``."""
    to_pylist = getattr(events, "to_pylist", None)
    return to_pylist() if to_pylist is not None else list(events)


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        template="plotly_white",
        margin={"l": 70, "r": 30, "t": 60, "b": 50},
        font={"family": "system-ui, sans-serif"},
    )
    return fig


def _month(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from ``first`` to ``last``, including the ones without events."""
    out, m = [], _month(first)
    while m <= last:
        out.append(m)
        m = _next_month(m)
    return out


def monthly_figure(events: Events, title: str = "Events per month") -> go.Figure:
    """Stacked bars: number of events per month and QuadClass, on a date axis."""
    rows = [e for e in as_rows(events) if e["event_date"] is not None]  # undated: no month
    counts: dict[int, dict[dt.date, int]] = {q: defaultdict(int) for q in QUAD_NAMES}
    for e in rows:
        q = int(e.get("quad_class") or 0)
        if q in counts:
            counts[q][_month(e["event_date"])] += 1
    dates = [e["event_date"] for e in rows]
    months = _months(min(dates), max(dates)) if dates else []
    fig = go.Figure(
        [
            go.Bar(
                name=QUAD_NAMES[q],
                x=[m.isoformat() for m in months],
                y=[counts[q].get(m, 0) for m in months],
                marker_color=QUAD_COLORS[q],
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate="%{x|%B %Y}: %{y}<extra>" + QUAD_NAMES[q] + "</extra>",
            )
            for q in QUAD_NAMES
        ]
    )
    fig.update_layout(barmode="stack", xaxis_title="Month", yaxis_title="Events")
    fig.update_xaxes(type="date", tickformat="%b %Y")
    if months:  # whole first and last bars (plotly would cut them at the axis ends)
        lo = months[0] - dt.timedelta(days=10)
        hi = _next_month(months[-1]) + dt.timedelta(days=10)
        fig.update_xaxes(range=[lo.isoformat(), hi.isoformat()])
    return _layout(fig, title)


def _mean_series(rows: list[dict[str, Any]], daily: bool) -> tuple[list[str], list[float | None]]:
    """The mean score per day (or per month, at mid-month), ``None`` where nothing happened:
    plotly breaks the line at a ``None``, so gaps in the record show as gaps."""
    buckets: dict[dt.date, list[float]] = defaultdict(list)
    for e in rows:
        d = e["event_date"]
        buckets[d if daily else _month(d)].append(float(e.get("goldstein") or 0.0))
    if not buckets:
        return [], []
    first, last = min(buckets), max(buckets)
    if daily:
        keys = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    else:
        keys = _months(first, last)
    xs = [(k if daily else k.replace(day=15)).isoformat() for k in keys]
    ys = [round(sum(buckets[k]) / len(buckets[k]), 2) if k in buckets else None for k in keys]
    return xs, ys


def goldstein_figure(events: Events, title: str = "Goldstein score over time") -> go.Figure:
    """Each event's Goldstein score as a marker, and its daily or monthly mean as a line."""
    dated = [e for e in as_rows(events) if e["event_date"] is not None]  # undated: no x
    ordered = sorted(dated, key=lambda e: (e["event_date"], e["event_id"]))
    # a daily mean for short periods, a monthly one (at mid-month) for long ones
    span = (ordered[-1]["event_date"] - ordered[0]["event_date"]).days if ordered else 0
    daily = span <= 120
    xs, ys = _mean_series(ordered, daily)
    fig = go.Figure(
        [
            go.Scatter(
                name="Event",
                mode="markers",
                x=[e["event_date"].isoformat() for e in ordered],
                y=[e["goldstein"] for e in ordered],
                text=[e.get("cameo_name") or e.get("cameo") for e in ordered],
                marker={
                    "size": [6 + 2 * min(int(e.get("num_sources") or 1), 10) for e in ordered],
                    "color": [
                        QUAD_COLORS.get(int(e.get("quad_class") or 0), OTHER_COLOR) for e in ordered
                    ],
                    "opacity": 0.8,
                },
                hovertemplate="%{x}<br>%{text}<br>Goldstein %{y}<extra></extra>",
            ),
            go.Scatter(
                name="Daily mean" if daily else "Monthly mean",
                mode="lines+markers",
                x=xs,
                y=ys,
                connectgaps=False,
                line={"color": "#333", "width": 2},
            ),
        ]
    )
    fig.add_hline(y=0, line_color="#aaa", line_width=1)
    fig.update_xaxes(type="date")
    if ordered and span < 14:  # a few days: pad, or plotly zooms in to milliseconds
        pad = dt.timedelta(days=3)
        lo, hi = ordered[0]["event_date"] - pad, ordered[-1]["event_date"] + pad
        fig.update_xaxes(range=[lo.isoformat(), hi.isoformat()])
    fig.update_layout(
        xaxis_title="Date",
        yaxis_title="Goldstein score",
        yaxis_range=[-10.5, 10.5],
        yaxis_automargin=True,
    )
    return _layout(fig, title)


def _node(e: dict[str, Any], side: str) -> str:
    name = e.get(f"{side}_name") or e.get(f"{side}_country") or "?"
    country = e.get(f"{side}_country")
    return f"{name} ({country})" if country and country != name else name


def _color(value: float) -> str:
    """Goldstein -10..10 on the red-grey-green scale, as an rgb() string."""
    t = (max(-10.0, min(10.0, value)) + 10.0) / 20.0
    stops = [(0.0, (198, 40, 40)), (0.5, (208, 208, 208)), (1.0, (46, 125, 50))]
    for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            rgb = [round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True)]
            return f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    return "rgb(46,125,50)"  # pragma: no cover


def _circle(nodes: list[str]) -> dict[str, tuple[float, float]]:
    n = max(len(nodes), 1)
    return {
        node: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n))
        for i, node in enumerate(nodes)
    }


def network_figure(
    events: Events, title: str = "Actor network", *, top: int | None = DEFAULT_TOP
) -> go.Figure:
    """The ``top`` busiest actors on a circle, one arrow per direction between two of them.

    An arrow is as wide as its number of events and coloured by their mean Goldstein
    score; A->B and B->A are drawn side by side, so who acts on whom stays visible.
    Actors beyond ``top`` (None: all) are left out, and the title says how many.
    """
    rows = as_rows(events)
    edges: dict[tuple[str, str], list[float]] = defaultdict(list)
    degree: dict[str, int] = defaultdict(int)
    for e in rows:
        a, b = _node(e, "source"), _node(e, "target")
        degree[a] += 1
        degree[b] += 1
        edges[(a, b)].append(float(e.get("goldstein") or 0.0))
    # busiest actors first, so the layout is deterministic and readable
    ranked = sorted(degree, key=lambda n: (-degree[n], n))
    nodes = ranked[:top] if top else ranked
    kept = set(nodes)
    if len(nodes) < len(ranked):
        title = f"{title} (the {len(nodes)} busiest of {len(ranked)} actors)"
    pos = _circle(nodes)
    shown = {k: v for k, v in edges.items() if k[0] in kept and k[1] in kept}
    most = max((len(v) for v in shown.values()), default=1)
    fig = go.Figure()
    mids: list[tuple[float, float, str]] = []
    for (a, b), scores in sorted(shown.items()):
        mean = sum(scores) / len(scores)
        (x0, y0), (x1, y1) = pos[a], pos[b]
        if a == b:  # both sides the same actor (domestic): a marker note, no arrow
            mids.append((x0, y0, f"{a} -> itself: {len(scores)} events, mean {mean:.1f}"))
            continue
        # shift each direction to its own side of the line joining the two actors
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        ox, oy = -(y1 - y0) / length * 0.025, (x1 - x0) / length * 0.025
        fig.add_annotation(
            x=x1 + ox, y=y1 + oy, ax=x0 + ox, ay=y0 + oy,
            xref="x", yref="y", axref="x", ayref="y",
            showarrow=True, arrowhead=2, arrowsize=0.8, standoff=12, startstandoff=8,
            arrowwidth=1.0 + 3.0 * len(scores) / most, arrowcolor=_color(mean), opacity=0.85,
        )  # fmt: skip
        text = f"{a} -> {b}: {len(scores)} events, mean Goldstein {mean:.1f}"
        mids.append(((x0 + x1) / 2 + ox, (y0 + y1) / 2 + oy, text))
    fig.add_trace(  # invisible points at the arrows' middles carry their hover text
        go.Scatter(
            name="edges",
            x=[m[0] for m in mids],
            y=[m[1] for m in mids],
            mode="markers",
            marker={"size": 10, "opacity": 0},
            hovertext=[m[2] for m in mids],
            hoverinfo="text",
            showlegend=False,
        )
    )
    node_scores: dict[str, list[float]] = defaultdict(list)
    for (a, b), scores in shown.items():
        node_scores[a] += scores
        node_scores[b] += scores
    fig.add_trace(
        go.Scatter(
            name="actors",
            x=[pos[n][0] for n in nodes],
            y=[pos[n][1] for n in nodes],
            mode="markers+text",
            text=nodes,
            textposition="top center",
            hovertext=[f"{n}: {degree[n]} events" for n in nodes],
            hoverinfo="text",
            marker={
                "size": [12 + 3 * min(degree[n], 12) for n in nodes],
                "color": [
                    sum(node_scores[n]) / len(node_scores[n]) if node_scores[n] else 0.0
                    for n in nodes
                ],
                "colorscale": GOLDSTEIN_SCALE,
                "cmin": -10,
                "cmax": 10,
                "colorbar": {"title": {"text": "Mean Goldstein"}},
                "line": {"width": 1, "color": "#333"},
            },
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False, range=[-1.5, 1.5])
    fig.update_yaxes(visible=False, range=[-1.4, 1.4], scaleanchor="x")
    return _layout(fig, title)


_BUILDERS = {"monthly": monthly_figure, "goldstein": goldstein_figure, "network": network_figure}


def chart(
    kind: str, events: Events, title: str | None = None, *, top: int | None = None
) -> go.Figure:
    """The ``kind`` chart (one of :data:`KINDS`) of ``events``: EVENT_SCHEMA dicts or the
    ``pyarrow.Table`` that ``store.events`` returns. ``top`` limits the network's actors
    (default :data:`DEFAULT_TOP`)."""
    if kind not in _BUILDERS:
        raise TidingsError(f"unknown chart kind {kind!r}; choose one of {', '.join(KINDS)}")
    args: dict[str, Any] = {"title": title} if title else {}
    if kind == "network" and top is not None:
        args["top"] = top
    return _BUILDERS[kind](events, **args)


def write_html(fig: go.Figure, path: str | Path, *, plotly_js: str = "inline") -> Path:
    """A standalone HTML file. ``plotly_js``: ``inline`` (the default: opens offline, about
    4.8 MB), ``cdn`` (a small file that loads plotly.js from its CDN when opened) or
    ``directory`` (a small file that loads ``plotly.min.js`` written beside it once)."""
    if plotly_js not in PLOTLY_JS:
        raise TidingsError(f"plotly_js {plotly_js!r}: choose one of {', '.join(PLOTLY_JS)}")
    path = Path(path)
    include: bool | str = True if plotly_js == "inline" else plotly_js
    fig.write_html(str(path), include_plotlyjs=include, full_html=True)
    return path


def find_browser() -> str | None:
    """The browser kaleido will use: ``BROWSER_PATH``, else Chromium/Chrome on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def _require_kaleido() -> None:
    try:
        import kaleido  # noqa: F401
    except ImportError:
        raise TidingsError(
            "PNG output needs kaleido, which is not installed: "
            "pip install 'tidings[png]' (and Chromium, which kaleido drives)"
        ) from None


def _one_line(exc: BaseException) -> str:
    """An exception as one short line (kaleido's can be a multi-line dict dump)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def write_png(fig: go.Figure, path: str | Path, *, width: int = 1000, height: int = 560) -> Path:
    """Render ``fig`` to PNG with kaleido (the ``png`` extra; needs a Chrome/Chromium).

    Chromium sometimes fails to start on a busy machine, so a failure is retried once;
    a second failure is one line naming the file, the browser and the reason.
    """
    _require_kaleido()
    browser = find_browser()
    if browser is None:
        raise TidingsError(
            "PNG output needs Chrome or Chromium (kaleido renders with it); install "
            "chromium or set BROWSER_PATH to the browser's executable"
        )
    os.environ.setdefault("BROWSER_PATH", browser)
    path = Path(path)
    error: BaseException | None = None
    for _attempt in range(2):
        try:
            fig.write_image(str(path), format="png", width=width, height=height)
            return path
        except Exception as exc:  # kaleido/choreographer errors are not TidingsErrors
            error = exc
    raise TidingsError(
        f"{path}: could not render the PNG with {browser} (tried twice): {_one_line(error)}"
    ) from None
