"""The read endpoints: events, one event, documents, actors, stats, meta, timeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import pyarrow as pa
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from tidings.api.errors import ApiError, bad, shown
from tidings.api.params import (
    DEFAULT_LIMIT,
    ID_PATTERN,
    MAX_CURSOR,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_TEXT,
    SORTS,
    check_id,
    event_filter,
    filter_query,
)
from tidings.api.records import clean, json_answer, mention_record, record, spans_of
from tidings.api.schemas import ActorList, EventPage, Meta, Timeline, error_responses
from tidings.api.stores import CountCache, Stores
from tidings.errors import TidingsError
from tidings.filters import _encode_cursor, _keys_sql, _order_keys
from tidings.palette import OTHER_COLOR
from tidings.resolve import check_text, country_name
from tidings.store import COUNT_CAP, EventFilter, Store, check_cursor

__all__ = ["router", "search_actors", "timeline_entries"]

router = APIRouter()


async def stores_of(request: Request) -> Stores:
    """The app's connections (a dependency: every route gets them the same way).

    Async, as ``filter_query``: a plain function would cost each request a hop to a
    worker thread and back for a dictionary lookup.
    """
    return request.app.state.stores


@router.get(
    "/events",
    summary="Events matching filters, one page at a time",
    response_model=None,
    responses={200: {"model": EventPage}, **error_responses(422)},
)
def events(
    filters: dict[str, Any] = Depends(filter_query),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="page size"),
    offset: int = Query(
        0,
        ge=0,
        le=10**9,  # deeper than MAX_OFFSET: our 422 says to use `after` instead
        description=f"events to skip (at most {MAX_OFFSET:,})",
        json_schema_extra={"maximum": MAX_OFFSET},
    ),
    after: str | None = Query(
        None,
        max_length=MAX_CURSOR,
        description="the `next` cursor of the previous page: deep pages stay fast",
        json_schema_extra={"pattern": "^[A-Za-z0-9_-]*$"},
    ),
    sort: str = Query(
        "-date", description="one of: " + ", ".join(SORTS), json_schema_extra={"enum": list(SORTS)}
    ),
    highlights: bool = Query(
        False,
        description="add where the coded words are in each evidence sentence "
        "(one more lookup; /events/{id} always has them)",
    ),
    stores: Stores = Depends(stores_of),
) -> Response:
    flt = event_filter(**filters)
    if sort not in SORTS:
        raise bad("sort", f"unknown sort {shown(sort)}; use one of: {', '.join(SORTS)}")
    if offset > MAX_OFFSET:
        raise bad(
            "offset", f"at most {MAX_OFFSET:,}; to go deeper, pass each page's `next` as after="
        )
    if after:
        try:
            check_cursor(after, SORTS[sort])
        except ValueError as exc:
            raise bad("after", f"{exc}; start again without after=") from None
    page = event_page(
        stores, flt, limit=limit, offset=offset, order=SORTS[sort], after=after or None
    )
    head = {
        "total": page.total,
        "total_is_estimate": page.total_is_estimate,
        "limit": limit,
        "offset": offset,
        "next": page.next_after,
    }
    if page.texts is not None and not highlights:  # the events' JSON as the store wrote it
        body = orjson.dumps(head)[:-1] + b',"events":[' + ",".join(page.texts).encode() + b"]}"
        return Response(body, media_type="application/json")
    with stores.open() as store:
        table = page.rows if page.rows is not None else store.rows_by_rowid(page.rids)
        rows = table.to_pylist()
        best = {r["best_mention_id"] for r in rows if r.get("best_mention_id")}
        found = store.mentions_by_id(sorted(best)) if highlights and best else []
    by_id = {m["mention_id"]: m for m in found}
    if highlights:
        for row in rows:
            mention = by_id.get(row.get("best_mention_id"))
            ok = mention is not None and mention.get("sentence") == row.get("evidence")
            row["highlights"] = spans_of(mention) if ok else []
    return json_answer({**head, "events": rows})  # dates and NaN are encoded by json_answer


@dataclass(slots=True)
class _Page:
    """A page of /events: its rows as JSON texts (from memory) or as a table, or neither."""

    rids: list[int]
    total: int
    total_is_estimate: bool
    next_after: str | None
    texts: list[str] | None = None
    rows: pa.Table | None = None


def event_page(
    stores: Stores,
    flt: EventFilter,
    *,
    limit: int,
    offset: int,
    order: str,
    after: str | None,
) -> _Page:
    """One page of events, from what the reads remember when the store allows.

    The search-key flag comes from :class:`Stores` when known. A page by offset is one
    narrow query and array work on the events in memory (:meth:`EventJson.page`). A
    page by cursor, or of a store too large for memory, takes the filter's count from
    :class:`Stores` when known (else one narrow query), its row ids from one narrow
    query, and the rows' JSON from memory when there. If a write began or ended
    meanwhile, the page is asked afresh from the file (see the sequence lock in
    :mod:`tidings.api.stores`).
    """
    generation = stores.generation()
    with stores.open() as store:
        keyed = stores.keyed(store, generation)
        where, params = flt.where(keyed=keyed)
        if after is None:  # a first page, or one by offset: from memory if it is there
            page = _from_memory(stores, store, generation, (where, params), order, offset, limit)
            if page is not None:
                return page
        key = CountCache.key(where, params, COUNT_CAP)
        counted = stores.counts.get(key) if generation is not None else None
        found = store.page_rowids(
            flt, limit=limit, offset=offset, order=order, after=after, keyed=keyed, counted=counted
        )
        texts = stores.event_json.rows(store, generation, found.rids)
        if stores.unchanged_since(generation):
            if counted is None:
                stores.counts.put(key, found.counted)
            return _Page(found.rids, found.total, found.total_is_estimate, found.next_after, texts)
        whole = store.page_events(flt, limit=limit, offset=offset, order=order, after=after)
    return _Page([], whole.total, whole.total_is_estimate, whole.next_after, None, rows=whole.rows)


def _from_memory(
    stores: Stores,
    store: Store,
    generation: int | None,
    where: tuple[str, list[Any]],
    order: str,
    offset: int,
    limit: int,
) -> _Page | None:
    """A page by offset from :meth:`EventJson.page`, or None if memory cannot give it."""
    keys = _order_keys(order)
    found = stores.event_json.page(
        store, generation, where, _keys_sql(keys, "rowid"), offset, limit
    )
    if found is None or not stores.unchanged_since(generation):
        return None
    rids, matched, texts = found
    next_after = None
    if len(rids) > limit:  # the cursor, from the last row's sort values
        last = orjson.loads(texts[-1])
        values = [last[c] for c, _ in keys]
        rid = int(rids[limit - 1])
        if None in values:  # NULL, or NaN that JSON writes as null: ask the file
            next_after = store.cursor_after(rid, order)
        else:
            next_after = _encode_cursor(keys, values, rid)
    total = min(matched, COUNT_CAP)
    return _Page(rids[:limit].tolist(), total, matched > COUNT_CAP, next_after, texts)


def _add_lookup(
    path: str,
    what: str,
    summary: str,
    fetch: Callable[[Store, str], dict[str, Any] | None],
    mention: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """Route ``GET path`` to one stored ``what`` (event or document) and its mentions.

    A malformed id is a 422 naming the path parameter, an unknown one a 404; each
    mention is shaped by ``mention``.
    """
    param = path.rsplit("{", 1)[1].rstrip("}")

    def lookup(
        key: str = Path(alias=param, json_schema_extra={"pattern": ID_PATTERN}),
        stores: Stores = Depends(stores_of),
    ) -> Response:
        check_id(param, what, key)
        with stores.open() as store:
            found = fetch(store, key)
        if found is None:
            raise ApiError(404, f"no {what} {key!r}")
        mentions = found.pop("mentions", [])
        return json_answer({**record(found), "mentions": [mention(m) for m in mentions]})

    router.add_api_route(
        path,
        lookup,
        methods=["GET"],
        name=what,
        summary=summary,
        response_model=None,
        responses=error_responses(404, 422),
    )


_add_lookup(
    "/events/{event_id}",
    "event",
    "One event with every mention and its evidence",
    lambda store, key: store.event(key),
    mention_record,
)
_add_lookup(
    "/documents/{doc_id}",
    "document",
    "One stored article with its text and mentions",
    lambda store, key: store.document(key),
    lambda m: {**record(m), "highlights": spans_of(m)},
)


@router.get(
    "/actors",
    summary="Actors whose name contains q, with roles and tenures",
    response_model=None,
    responses={200: {"model": ActorList}, **error_responses(422)},
)
def actors(
    q: str = Query(
        ...,
        min_length=1,
        max_length=MAX_TEXT,
        description="part of a name",
        json_schema_extra={"pattern": r"^[^\x00-\x1f]*[^\s\x00-\x1f][^\x00-\x1f]*$"},
    ),
    limit: int = Query(20, ge=1, le=100),
    stores: Stores = Depends(stores_of),
) -> Response:
    query = check_text(q, "q")
    if not query:
        raise bad("q", "empty")
    with stores.open() as store:
        found = search_actors(store, query, limit)
    return json_answer({"query": query, "actors": found})


@router.get("/stats", summary="What is in the store, at a glance", response_model=None)
def stats(stores: Stores = Depends(stores_of)) -> Response:
    with stores.open() as store:
        found = store.stats()
    found.pop("path", None)  # where the file lives on the server is not the client's business
    return json_answer(record(found))


@router.get(
    "/meta",
    summary="Choices for the page: countries, quad classes and CAMEO roots",
    response_model=None,
    responses={200: {"model": Meta}},
)
def meta(stores: Stores = Depends(stores_of)) -> Response:
    with stores.open() as store:
        found = store.stats()
        counts = store.country_counts()
    return json_answer(
        {
            "countries": [
                {"code": c, "name": country_name(c), "events": n} for c, n in counts.items()
            ],
            "quads": quads(),
            "other_color": OTHER_COLOR,
            "roots": _roots(found.get("by_root") or {}),
            "stats": {
                "events": found.get("events"),
                "mentions": found.get("mentions"),
                "documents": found.get("documents"),
                "first_date": clean(found.get("first_event")),
                "last_date": clean(found.get("last_event")),
            },
        }
    )


@router.get(
    "/timeline",
    summary="The events of a dyad or actor in date order",
    response_model=None,
    responses={200: {"model": Timeline}, **error_responses(422)},
)
def timeline(
    filters: dict[str, Any] = Depends(filter_query),
    limit: int = Query(500, ge=1, le=5000, description="most entries to return"),
    stores: Stores = Depends(stores_of),
) -> Response:
    flt = event_filter(**filters)
    with stores.open() as store:
        entries = timeline_entries(store, flt, limit)
    return json_answer({"entries": [record(e) for e in entries]})


# --------------------------------------------------------------------------- helpers


def quads() -> list[dict[str, Any]]:
    """The four quad classes with the names and colours of :mod:`tidings.palette`.

    The page colours its timeline from this list, so a chart file and the page always
    agree on which colour is which class.
    """
    from tidings.palette import QUAD_COLORS, QUAD_NAMES

    return [{"quad": q, "name": QUAD_NAMES[q], "color": QUAD_COLORS[q]} for q in sorted(QUAD_NAMES)]


def _roots(by_root: dict[str, int]) -> list[dict[str, Any]]:
    """The 20 CAMEO roots with their names and how many events each has."""
    from tidings.cameo import root_name

    out = []
    for root in sorted({f"{i:02d}" for i in range(1, 21)} | {r for r in by_root if r}):
        try:
            name: str | None = root_name(root)
        except TidingsError:
            name = None
        out.append({"root": root, "name": name, "events": by_root.get(root, 0)})
    return out


def search_actors(store: Store, query: str, limit: int) -> list[dict[str, Any]]:
    """Actors from the actor tables (with roles and tenures), then names seen in events."""
    from tidings.actors import search_actors as table_search  # the coder's tables

    found = [{**record(dict(a)), "from": "actor tables"} for a in table_search(query, limit)]
    seen = {(a.get("name") or "").lower() for a in found}
    for row in store.actor_names(query, limit):
        name = row.get("name") or row.get("id") or row.get("code")
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        found.append({**record(row), "name": name, "from": "events"})
    return found[:limit]


def timeline_entries(store: Store, flt: EventFilter, limit: int) -> list[dict[str, Any]]:
    """Timeline entries (date, one-line summary, evidence, sources) from :mod:`tidings.timeline`."""
    from tidings.timeline import build_timeline

    return [entry.to_dict() for entry in build_timeline(store, flt, limit=limit)]
