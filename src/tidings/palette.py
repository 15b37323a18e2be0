"""The colours of event data, defined once for charts, reports, timelines and the web page.

QuadClass colours pair the two cooperation classes (blue verbal, green material) against
the two conflict classes (orange verbal, red material), so a reader learns them once.
The Goldstein scale runs from red (-10, most hostile) through grey to green (+10).
The web page can read the same values from :func:`palette_json`.
"""

from __future__ import annotations

import json

__all__ = [
    "GOLDSTEIN_SCALE",
    "QUAD_COLORS",
    "QUAD_NAMES",
    "OTHER_COLOR",
    "palette_json",
    "quad_css",
]

QUAD_NAMES: dict[int, str] = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}
QUAD_COLORS: dict[int, str] = {1: "#4c9be8", 2: "#2e7d32", 3: "#f0a030", 4: "#c62828"}
#: events without a quad class (should not happen; drawn grey rather than dropped)
OTHER_COLOR = "#868e96"
#: plotly colour scale for Goldstein scores, -10 (0.0) to +10 (1.0)
GOLDSTEIN_SCALE: list[list[float | str]] = [[0.0, "#c62828"], [0.5, "#d0d0d0"], [1.0, "#2e7d32"]]


def quad_css(selector: str = ".q{n}") -> str:
    """CSS rules giving each quad class its colour, e.g. ``.q1{--quad:#4c9be8}``."""
    return "".join(
        selector.format(n=q) + "{--quad:" + color + "}" for q, color in QUAD_COLORS.items()
    )


def palette_json() -> str:
    """The palette as JSON: ``{"quad": {"1": {"name", "color"}, ...}, "goldstein": [...]}``."""
    return json.dumps(
        {
            "quad": {str(q): {"name": QUAD_NAMES[q], "color": QUAD_COLORS[q]} for q in QUAD_NAMES},
            "other": OTHER_COLOR,
            "goldstein": GOLDSTEIN_SCALE,
        }
    )
