"""Store rows as JSON records: dates as ISO strings, NaN as null, highlight spans.

Answers are encoded by orjson straight from the store's rows. FastAPI's own path (its
``jsonable_encoder`` walks every value in Python) cost 14 ms for a page of 50 events,
which made JSON encoding, not the query, the limit on requests per second.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import orjson
from fastapi.responses import Response

__all__ = ["clean", "json_answer", "mention_record", "record", "spans_of"]

#: NaN and infinities become null; dates ISO strings; numpy values numbers
_ORJSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _fallback(value: Any) -> Any:
    """What orjson cannot encode itself (Decimal, sets, pyarrow scalars) as plain JSON."""
    if hasattr(value, "as_py"):
        return value.as_py()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def json_answer(body: Any, status: int = 200) -> Response:
    """A JSON response encoded by orjson (see the module docstring)."""
    return Response(
        orjson.dumps(body, default=_fallback, option=_ORJSON),
        status_code=status,
        media_type="application/json",
    )


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
