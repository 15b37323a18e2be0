"""Query parameters: declared once, checked before anything reaches the store.

Every filter is checked as the CLI checks it (:func:`tidings.resolve.check_filter`) and
turned into an :class:`~tidings.store.EventFilter`; a bad one is a 422 naming the
parameter. Nothing from a request is put into SQL text:
the store binds every value, and sort orders come from the :data:`SORTS` whitelist.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Query

from tidings.api.errors import bad, shown
from tidings.resolve import CAMEO_CODE, CAMEO_ROOT, MAX_TEXT, check_filter
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
    "check_id",
    "event_filter",
    "filter_query",
]

#: largest page of events one request may ask for
MAX_LIMIT = 1000
DEFAULT_LIMIT = 50
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

_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")
#: the ids of events and documents, for the schema of the path parameters
ID_PATTERN = _ID.pattern


def check_id(param: str, what: str, key: str) -> str:
    """An event or document id as the store makes them (a 422 names ``param`` if not)."""
    if not _ID.fullmatch(key):
        article = "an" if what[0] in "aeiou" else "a"
        raise bad(param, f"not {article} {what} id: {shown(key)}")
    return key


def event_filter(
    *, dyad: str | None = None, include_all: bool = False, **filters: Any
) -> EventFilter:
    """Check the query parameters shared by /events, /timeline and /export.

    The checks are the CLI's, :func:`tidings.resolve.check_filter` (``filters`` are its
    ``actor``, ``country``, ``code``, ``root``, ``quad``, ``since`` and ``until``): a
    country is a code or a name (``Vietnam`` is ``VNM``), and an unknown one, like any
    bad value, is a :class:`~tidings.resolve.BadFilter`, which the error handlers answer
    with a 422 naming the parameter. Only the shape of ``dyad`` (``A,B``: one value, not
    two) is the API's.
    """
    pair = None
    if dyad:
        parts = dyad.split(",")
        if len(parts) != 2:
            message = f"expected two sides separated by a comma, e.g. VNM,RUS: {shown(dyad)}"
            raise bad("dyad", message)
        pair = (parts[0], parts[1])
    return check_filter(dyad=pair, include_domestic=include_all, **filters)


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


def _spaced(pattern: str) -> str:
    """A pattern that also matches the empty string (an empty value is no filter) and
    takes outer spaces (the checks trim them)."""
    return f"^ *(?:{pattern})? *$"


#: text without control characters (the checks refuse them)
_PLAIN = r"^[^\x00-\x1f]*$"


async def filter_query(  # async: FastAPI runs it inline, not on a worker thread
    actor: str | None = Query(
        None,
        description="part of an actor's name, id or code (either side)",
        json_schema_extra={"maxLength": MAX_TEXT, "pattern": _PLAIN},
    ),
    country: str | None = Query(
        None,
        description="a country on either side: ISO 3166 alpha-3 code or name, e.g. VNM or Vietnam",
        json_schema_extra={"maxLength": MAX_TEXT, "pattern": _PLAIN},
    ),
    dyad: str | None = Query(
        None,
        description="two countries (codes or names) or actor ids, either direction: VNM,RUS",
        # each side is checked as a text of at most MAX_TEXT characters
        json_schema_extra={
            "maxLength": 2 * MAX_TEXT + 1,
            "pattern": rf"^(?:[^,\x00-\x1f]{{0,{MAX_TEXT}}},[^,\x00-\x1f]{{0,{MAX_TEXT}}})?$",
        },
    ),
    code: str | None = Query(
        None,
        description="CAMEO code prefix, e.g. 04 or 0311",
        json_schema_extra={"pattern": _spaced(CAMEO_CODE.pattern)},
    ),
    root: str | None = Query(
        None,
        description="CAMEO root 01-20",
        json_schema_extra={"pattern": _spaced(CAMEO_ROOT.pattern)},
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
