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
    "OPTIONAL_DATE",
    "ID_PATTERN",
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
_ROOT = re.compile(r"^(0?[1-9]|1[0-9]|20)$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_KEY = r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}"
_DYAD_PATTERN = rf"^ *{_KEY} *, *{_KEY} *$"
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")
#: the ids of events and documents, for the schema of the path parameters
ID_PATTERN = _ID.pattern


def check_date(param: str, value: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` date, or None for an empty value."""
    if value is None or value == "":
        return None
    try:
        if not _DATE_RE.fullmatch(value):  # fromisoformat also takes 20240101 and weeks
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise bad(param, f"not a date (use YYYY-MM-DD): {shown(value)}") from None


def check_text(param: str, value: str | None) -> str | None:
    """Free text, trimmed: short, and without control characters."""
    if value is None:
        return None
    if len(value) > MAX_TEXT:
        raise bad(param, f"longer than {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in value):
        raise bad(param, "contains control characters")
    return value.strip() or None


def check_id(param: str, what: str, key: str) -> str:
    """An event or document id as the store makes them (a 422 names ``param`` if not)."""
    if not _ID.fullmatch(key):
        article = "an" if what[0] in "aeiou" else "a"
        raise bad(param, f"not {article} {what} id: {shown(key)}")
    return key


def _country(param: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _ISO3.fullmatch(value):
        raise bad(param, f"not an ISO 3166 alpha-3 country code: {shown(value)}")
    return value.upper()


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None or value == "":
        return None
    parts = [p.strip(" ") for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise bad("dyad", f"expected two codes separated by a comma, e.g. VNM,RUS: {shown(value)}")
    for part in parts:
        if not _ACTOR_KEY.fullmatch(part):
            raise bad("dyad", f"not a country code or actor id: {shown(part)}")
    return parts[0], parts[1]


def _cameo(param: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _CAMEO.fullmatch(value):
        raise bad(param, f"not a CAMEO code (2 to 4 digits): {shown(value)}")
    return value


def _root(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _ROOT.fullmatch(value):
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


#: What the checks above accept, written into the schema (``json_schema_extra``: the
#: checks stay ours, so that every error says in plain words what is wrong). An empty
#: value means "not given", as an HTML form sends it.
OPTIONAL_DATE: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "maxLength": 0},
        {"type": "null"},
    ]
}
_DATE = OPTIONAL_DATE


def _or_empty(pattern: str) -> str:
    """A pattern that also matches the empty string (an empty value is no filter)."""
    return f"^(?:{pattern.removeprefix('^').removesuffix('$')})?$"


def filter_query(
    actor: str | None = Query(
        None,
        description="part of an actor's name, id or code (either side)",
        json_schema_extra={"maxLength": MAX_TEXT, "pattern": r"^[^\x00-\x1f]*$"},
    ),
    country: str | None = Query(
        None,
        description="ISO 3166 alpha-3 code on either side, e.g. VNM",
        json_schema_extra={"pattern": _or_empty(_ISO3.pattern)},
    ),
    dyad: str | None = Query(
        None,
        description="two countries or actor ids, either direction: VNM,RUS",
        json_schema_extra={"pattern": _or_empty(_DYAD_PATTERN)},
    ),
    code: str | None = Query(
        None,
        description="CAMEO code prefix, e.g. 04 or 0311",
        json_schema_extra={"pattern": _or_empty(_CAMEO.pattern)},
    ),
    root: str | None = Query(
        None,
        description="CAMEO root 01-20",
        json_schema_extra={"pattern": _or_empty(_ROOT.pattern)},
    ),
    quad: int | None = Query(
        None,
        description="quad class: 1 verbal coop., 2 material coop., "
        "3 verbal conflict, 4 material conflict",
        json_schema_extra={"minimum": 1, "maximum": 4},
    ),
    since: str | None = Query(
        None, description="first event date, YYYY-MM-DD", json_schema_extra=_DATE
    ),
    until: str | None = Query(
        None,
        description="last event date, YYYY-MM-DD (not before since)",
        json_schema_extra=_DATE,
    ),
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
