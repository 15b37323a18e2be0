"""Store rows as JSON records: dates as ISO strings, NaN as null, highlight spans."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

__all__ = ["clean", "mention_record", "record", "spans_of"]


def clean(value: Any) -> Any:
    """A JSON-safe value: dates as ISO strings, NaN and infinities as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def record(row: dict[str, Any]) -> dict[str, Any]:
    """A row with every value made JSON-safe by :func:`clean`."""
    return {k: clean(v) for k, v in row.items()}


def _span(kind: str, start: Any, end: Any, base: int, length: int) -> dict[str, Any] | None:
    """A highlight span relative to the sentence, or None when the offsets do not fit."""
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    s, e = start - base, end - base
    if 0 <= s < e <= length:
        return {"kind": kind, "start": s, "end": e}
    return None


def spans_of(mention: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the coded words are in the mention's sentence (code point offsets)."""
    sentence = mention.get("sentence") or ""
    base = mention.get("sentence_start") or 0
    spans = [
        _span(kind, mention.get(f"{kind}_start"), mention.get(f"{kind}_end"), base, len(sentence))
        for kind in ("source", "trigger", "target")
    ]
    return [s for s in spans if s]


def mention_record(m: dict[str, Any]) -> dict[str, Any]:
    """A mention with its document's facts gathered under ``document``, and highlights."""
    out = record(m)
    out["document"] = {
        "doc_id": m.get("doc_id"),
        "title": out.pop("doc_title", None),
        "url": out.pop("doc_url", None),
        "name": out.pop("doc_name", None),
        "outlet": m.get("outlet"),
        "published": clean(m.get("published")),
    }
    out["highlights"] = spans_of(m)
    return out
