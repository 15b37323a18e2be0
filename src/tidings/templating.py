"""Jinja2 templates for the HTML outputs (report, timeline), with autoescape on.

Article text, titles, names and URLs all come from the outside world, so every value a
template prints is HTML-escaped unless the template marks it ``| safe`` (done only for
markup tidings builds itself: CSS, plotly's chart divs, plotly.js).
"""

from __future__ import annotations

import functools

import jinja2

__all__ = ["environment"]


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment over ``tidings/templates`` (autoescape everywhere)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tidings", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
