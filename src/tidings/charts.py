"""Charts of merged events (plotly): standalone HTML and PNG.

* ``monthly``: events per month, stacked by QuadClass (verbal/material cooperation and
  conflict) - the classic event-data overview;
* ``goldstein``: the Goldstein score over time for a dyad: each event as a marker, the
  monthly mean as a line - is the relationship warming or cooling?
* ``network``: who acts towards whom: actors as nodes on a circle, edges as wide as
  the number of events between two actors and coloured by their mean Goldstein score.

HTML output embeds plotly.js inline (no CDN), so a chart opens offline. PNG output uses
kaleido 1.x, which drives a Chrome/Chromium; Debian's ``/usr/bin/chromium`` is used
when no browser is configured (``BROWSER_PATH``).
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

__all__ = [
    "KINDS",
    "QUAD_COLORS",
    "QUAD_NAMES",
    "chart",
    "goldstein_figure",
    "monthly_figure",
    "network_figure",
    "write_html",
    "write_png",
]

KINDS = ("monthly", "goldstein", "network")
QUAD_NAMES = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}
QUAD_COLORS = {1: "#4c9be8", 2: "#2e7d32", 3: "#f0a030", 4: "#c62828"}
_GOLDSTEIN_SCALE = [[0.0, "#c62828"], [0.5, "#d0d0d0"], [1.0, "#2e7d32"]]


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        template="plotly_white",
        margin={"l": 60, "r": 30, "t": 60, "b": 50},
        font={"family": "system-ui, sans-serif"},
    )
    return fig


def monthly_figure(events: Sequence[dict[str, Any]], title: str = "Events per month") -> go.Figure:
    """Stacked bars: number of events per month and QuadClass (dated events only)."""
    events = [e for e in events if e["event_date"] is not None]
    counts: dict[int, dict[str, int]] = {q: defaultdict(int) for q in QUAD_NAMES}
    months: set[str] = set()
    for e in events:
        month = e["event_date"].strftime("%Y-%m")
        months.add(month)
        q = int(e.get("quad_class") or 0)
        if q in counts:
            counts[q][month] += 1
    xs = sorted(months)
    fig = go.Figure(
        [
            go.Bar(
                name=QUAD_NAMES[q],
                x=xs,
                y=[counts[q].get(m, 0) for m in xs],
                marker_color=QUAD_COLORS[q],
            )
            for q in QUAD_NAMES
        ]
    )
    fig.update_layout(barmode="stack", xaxis_title="Month", yaxis_title="Events")
    fig.update_xaxes(type="category")
    return _layout(fig, title)


def goldstein_figure(
    events: Sequence[dict[str, Any]], title: str = "Goldstein score over time"
) -> go.Figure:
    """Each event's Goldstein score as a marker, and its daily or monthly mean as a line
    (dated events only: an undated one has no place on the time axis)."""
    dated = [e for e in events if e["event_date"] is not None]
    ordered = sorted(dated, key=lambda e: (e["event_date"], e["event_id"]))
    # a daily mean for short periods, a monthly one (at mid-month) for long ones
    span = (ordered[-1]["event_date"] - ordered[0]["event_date"]).days if ordered else 0
    daily = span <= 120
    buckets: dict[str, list[float]] = defaultdict(list)
    for e in ordered:
        key = e["event_date"].isoformat() if daily else e["event_date"].strftime("%Y-%m-15")
        buckets[key].append(float(e["goldstein"] or 0.0))
    months = sorted(buckets)
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
                        QUAD_COLORS.get(int(e.get("quad_class") or 0), "#888") for e in ordered
                    ],
                    "opacity": 0.8,
                },
                hovertemplate="%{x}<br>%{text}<br>Goldstein %{y}<extra></extra>",
            ),
            go.Scatter(
                name="Daily mean" if daily else "Monthly mean",
                mode="lines+markers",
                x=months,
                y=[round(sum(v) / len(v), 2) for v in (buckets[m] for m in months)],
                line={"color": "#333", "width": 2},
            ),
        ]
    )
    fig.add_hline(y=0, line_color="#aaa", line_width=1)
    if ordered and span < 14:  # a few days: pad, or plotly zooms in to milliseconds
        pad = dt.timedelta(days=3)
        lo, hi = ordered[0]["event_date"] - pad, ordered[-1]["event_date"] + pad
        fig.update_xaxes(range=[lo.isoformat(), hi.isoformat()], type="date")
    fig.update_layout(xaxis_title="Date", yaxis_title="Goldstein score", yaxis_range=[-10.5, 10.5])
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


def network_figure(events: Sequence[dict[str, Any]], title: str = "Actor network") -> go.Figure:
    """Actors on a circle; edges weighted by event count, coloured by mean Goldstein."""
    edges: dict[tuple[str, str], list[float]] = defaultdict(list)
    degree: dict[str, int] = defaultdict(int)
    for e in events:
        a, b = _node(e, "source"), _node(e, "target")
        key = (a, b) if a <= b else (b, a)
        edges[key].append(float(e["goldstein"] or 0.0))
        degree[a] += 1
        degree[b] += 1
    # busiest actors first, so the layout is deterministic and readable
    nodes = sorted(degree, key=lambda n: (-degree[n], n))
    pos = {
        n: (
            math.cos(2 * math.pi * i / max(len(nodes), 1)),
            math.sin(2 * math.pi * i / max(len(nodes), 1)),
        )
        for i, n in enumerate(nodes)
    }
    top = max((len(v) for v in edges.values()), default=1)
    traces: list[go.Scatter] = []
    for (a, b), scores in sorted(edges.items()):
        mean = sum(scores) / len(scores)
        (x0, y0), (x1, y1) = pos[a], pos[b]
        traces.append(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines",
                line={"width": 1.5 + 8.0 * len(scores) / top, "color": _color(mean)},
                hoverinfo="text",
                text=f"{a} - {b}: {len(scores)} events, mean Goldstein {mean:.1f}",
                showlegend=False,
            )
        )
    node_scores: dict[str, list[float]] = defaultdict(list)
    for (a, b), scores in edges.items():
        node_scores[a] += scores
        node_scores[b] += scores
    traces.append(
        go.Scatter(
            x=[pos[n][0] for n in nodes],
            y=[pos[n][1] for n in nodes],
            mode="markers+text",
            text=nodes,
            textposition="top center",
            hovertext=[f"{n}: {degree[n]} events" for n in nodes],
            hoverinfo="text",
            marker={
                "size": [12 + 3 * min(degree[n], 12) for n in nodes],
                "color": [sum(node_scores[n]) / len(node_scores[n]) for n in nodes],
                "colorscale": _GOLDSTEIN_SCALE,
                "cmin": -10,
                "cmax": 10,
                "colorbar": {"title": {"text": "Mean Goldstein"}},
                "line": {"width": 1, "color": "#333"},
            },
            showlegend=False,
        )
    )
    fig = go.Figure(traces)
    fig.update_xaxes(visible=False, range=[-1.5, 1.5])
    fig.update_yaxes(visible=False, range=[-1.4, 1.4], scaleanchor="x")
    return _layout(fig, title)


_BUILDERS = {"monthly": monthly_figure, "goldstein": goldstein_figure, "network": network_figure}


def chart(kind: str, events: Sequence[dict[str, Any]], title: str | None = None) -> go.Figure:
    """The ``kind`` chart (one of :data:`KINDS`) of ``events`` (EVENT_SCHEMA dicts)."""
    if kind not in _BUILDERS:
        raise TidingsError(f"unknown chart kind {kind!r}; choose one of {', '.join(KINDS)}")
    builder = _BUILDERS[kind]
    return builder(events, title) if title else builder(events)


def write_html(fig: go.Figure, path: str | Path) -> Path:
    """A standalone HTML file with plotly.js inline: opens offline, no CDN."""
    path = Path(path)
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)
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


def write_png(fig: go.Figure, path: str | Path, *, width: int = 1000, height: int = 560) -> Path:
    """Render ``fig`` to PNG with kaleido (needs a Chrome/Chromium)."""
    browser = find_browser()
    if browser is None:
        raise TidingsError(
            "PNG output needs Chrome or Chromium (kaleido renders with it); install "
            "chromium or set BROWSER_PATH to the browser's executable"
        )
    os.environ.setdefault("BROWSER_PATH", browser)
    path = Path(path)
    try:
        fig.write_image(str(path), format="png", width=width, height=height)
    except Exception as exc:  # kaleido/choreographer errors are not TidingsErrors
        raise TidingsError(f"{path}: could not render the PNG with {browser}: {exc}") from None
    return path
