"""Query parameters: declared once, checked before anything reaches the store.

Every value is checked here and turned into an :class:`~tidings.store.EventFilter`; a
bad one is a 422 naming the parameter. Nothing from a request is put into SQL text:
the store binds every value, and sort orders come from the :data:`SORTS` whitelist.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import Query

from tidings.api.errors import bad, shown
from tidings.store import EventFilter

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_CURSOR",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_TEXT",
    "SORTS",
    "check_date",
    "check_id",
    "check_text",
    "event_filter",
    "filter_query",
]

#: largest page of events one request may ask for
MAX_LIMIT = 1000
DEFAULT_LIMIT = 50
#: longest free-text query (actor names); longer ones are a mistake or an attack
MAX_TEXT = 200
#: deepest ``offset`` of /events: skipping rows costs a sort of all of them, so deeper
#: pages go by cursor (``after``), which costs what the first page costs
MAX_OFFSET = 100_000
#: longest ``after`` cursor (ours are a few hundred characters)
MAX_CURSOR = 1000

#: ``sort`` values -> the store's ORDER BY (a whitelist: nothing else reaches SQL)
SORTS: dict[str, str] = {
    "date": "event_date ASC",
    "-date": "event_date DESC",
    "sources": "num_sources ASC, event_date DESC",
    "-sources": "num_sources DESC, event_date DESC",
    "mentions": "num_mentions ASC, event_date DESC",
    "-mentions": "num_mentions DESC, event_date DESC",
    "goldstein": "goldstein ASC, event_date DESC",
    "-goldstein": "goldstein DESC, event_date DESC",
    "confidence": "confidence ASC, event_date DESC",
    "-confidence": "confidence DESC, event_date DESC",
    "reported": "first_reported ASC, event_date DESC",
    "-reported": "first_reported DESC, event_date DESC",
}

_ISO3 = re.compile(r"^[A-Za-z]{3}$")
#: a dyad side: a country code, an actor code or an actor id
_ACTOR_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")
_CAMEO = re.compile(r"^[0-9]{2,4}$")
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")


def check_date(param: str, value: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` date, or None for an empty value."""
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad(param, f"not a date (use YYYY-MM-DD): {shown(value)}") from None


def check_text(param: str, value: str | None) -> str | None:
    """Free text, trimmed: short, and without control characters."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise bad(param, f"longer than {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in value):
        raise bad(param, "contains control characters")
    return value or None


def check_id(param: str, what: str, key: str) -> str:
    """An event or document id as the store makes them (a 422 names ``param`` if not)."""
    if not _ID.match(key):
        article = "an" if what[0] in "aeiou" else "a"
        raise bad(param, f"not {article} {what} id: {shown(key)}")
    return key


def _country(param: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _ISO3.match(value):
        raise bad(param, f"not an ISO 3166 alpha-3 country code: {shown(value)}")
    return value.upper()


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None or value == "":
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise bad("dyad", f"expected two codes separated by a comma, e.g. VNM,RUS: {shown(value)}")
    for part in parts:
        if not _ACTOR_KEY.match(part):
            raise bad("dyad", f"not a country code or actor id: {shown(part)}")
    return parts[0], parts[1]


def _cameo(param: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _CAMEO.match(value):
        raise bad(param, f"not a CAMEO code (2 to 4 digits): {shown(value)}")
    return value


def _root(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 2 or not 1 <= int(value) <= 20:
        raise bad("root", f"not a CAMEO root (01 to 20): {shown(value)}")
    return value.zfill(2)


def event_filter(
    *,
    actor: str | None = None,
    country: str | None = None,
    dyad: str | None = None,
    code: str | None = None,
    root: str | None = None,
    quad: int | None = None,
    since: str | None = None,
    until: str | None = None,
    include_all: bool = False,
) -> EventFilter:
    """Check the query parameters shared by /events, /timeline and /export."""
    start, end = check_date("since", since), check_date("until", until)
    if start and end and start > end:
        raise bad("until", f"{end} is before since={start}")
    if quad is not None and not 1 <= quad <= 4:
        raise bad("quad", f"the quad class is 1 to 4, not {quad}")
    return EventFilter(
        actor=check_text("actor", actor),
        country=_country("country", country),
        dyad=_dyad(dyad),
        code=_cameo("code", code),
        root=_root(root),
        quad=quad,
        since=start,
        until=end,
        include_domestic=include_all,
    )


def filter_query(
    actor: str | None = Query(
        None, description="part of an actor's name, id or code (either side)"
    ),
    country: str | None = Query(None, description="ISO 3166 alpha-3 code on either side, e.g. VNM"),
    dyad: str | None = Query(
        None, description="two countries or actor ids, either direction: VNM,RUS"
    ),
    code: str | None = Query(None, description="CAMEO code prefix, e.g. 04 or 0311"),
    root: str | None = Query(None, description="CAMEO root 01-20"),
    quad: int | None = Query(
        None,
        description="quad class: 1 verbal coop., 2 material coop., "
        "3 verbal conflict, 4 material conflict",
    ),
    since: str | None = Query(None, description="first event date, YYYY-MM-DD"),
    until: str | None = Query(None, description="last event date, YYYY-MM-DD"),
    all: bool = Query(False, description="include domestic events (both sides one country)"),
) -> dict[str, Any]:
    """The filter parameters of /events, /timeline and /export, declared once (a dependency).

    They come back unchecked, as ``event_filter`` keywords: each endpoint calls
    ``event_filter(**filters)`` in its body, after FastAPI has validated all of its
    parameters, so a request with several bad ones is answered as before.
    """
    return {
        "actor": actor, "country": country, "dyad": dyad, "code": code, "root": root,
        "quad": quad, "since": since, "until": until, "include_all": all,
    }  # fmt: skip
