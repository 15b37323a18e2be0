"""The REST API and the web page: a thin FastAPI layer over :mod:`tidings.store`.

Analysts browse events in the page at ``/``; programs call the same endpoints the page
calls. Every query goes through the store (which binds every value as a parameter), and
every parameter is checked here first, so a bad one gets a 422 with one JSON shape::

    {"error": {"status": 422, "message": "since: not a date (use YYYY-MM-DD): 'x'",
               "details": [{"param": "since", "message": "..."}]}}

Connections. DuckDB is fastest with a connection that stays open (its caches survive
between queries), and one connection must not be used by two threads at once. So each
worker thread of the server keeps its own :class:`~tidings.store.Store` with an open
connection; all of them share one database instance inside this process. While the
server runs it holds the file: another process cannot write it (stop the server to run
``tidings ingest``, or post articles to a server started with ``--allow-ingest``).

Writes. ``POST /articles`` is off unless the app is created with ``allow_ingest=True``,
and then needs ``Authorization: Bearer <token>``. Writes go through one lock: DuckDB
has one writer.
"""

from __future__ import annotations

import datetime as dt
import hmac
import importlib.resources
import math
import re
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.background import BackgroundTask
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tidings.errors import StoreError, TidingsError
from tidings.store import EventFilter, Store, check_cursor, open_store

__all__ = ["DEFAULT_MAX_ARTICLES", "DEFAULT_MAX_BODY", "ApiError", "create_app"]

STATIC_DIR = Path(__file__).with_name("static")
#: largest page of events one request may ask for
MAX_LIMIT = 1000
DEFAULT_LIMIT = 50
#: request bodies larger than this get a 413 before they are read to the end
DEFAULT_MAX_BODY = 5 * 1024 * 1024
#: articles one POST /articles may carry
DEFAULT_MAX_ARTICLES = 100
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

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
#: the page loads nothing from elsewhere (plotly needs inline styles)
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class ApiError(Exception):
    """An error answered with the one JSON error shape (status, message, details)."""

    def __init__(
        self,
        status: int,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers


def _error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict:
    return {"error": {"status": status, "message": message, "details": details or []}}


def _bad(param: str, message: str) -> ApiError:
    return ApiError(422, f"{param}: {message}", [{"param": param, "message": message}])


def _shown(value: str, width: int = 40) -> str:
    """A user value quoted for an error message, cut short (it may be huge)."""
    return repr(value if len(value) <= width else value[:width] + "...")


# --------------------------------------------------------------------------- parameters


def _date(param: str, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _bad(param, f"not a date (use YYYY-MM-DD): {_shown(value)}") from None


def _text(param: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise _bad(param, f"longer than {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in value):
        raise _bad(param, "contains control characters")
    return value or None


def _country(param: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _ISO3.match(value):
        raise _bad(param, f"not an ISO 3166 alpha-3 country code: {_shown(value)}")
    return value.upper()


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None or value == "":
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise _bad(
            "dyad", f"expected two codes separated by a comma, e.g. VNM,RUS: {_shown(value)}"
        )
    for part in parts:
        if not _ACTOR_KEY.match(part):
            raise _bad("dyad", f"not a country code or actor id: {_shown(part)}")
    return parts[0], parts[1]


def _cameo(param: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not _CAMEO.match(value):
        raise _bad(param, f"not a CAMEO code (2 to 4 digits): {_shown(value)}")
    return value


def _root(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 2 or not 1 <= int(value) <= 20:
        raise _bad("root", f"not a CAMEO root (01 to 20): {_shown(value)}")
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
    start, end = _date("since", since), _date("until", until)
    if start and end and start > end:
        raise _bad("until", f"{end} is before since={start}")
    if quad is not None and not 1 <= quad <= 4:
        raise _bad("quad", f"the quad class is 1 to 4, not {quad}")
    return EventFilter(
        actor=_text("actor", actor),
        country=_country("country", country),
        dyad=_dyad(dyad),
        code=_cameo("code", code),
        root=_root(root),
        quad=quad,
        since=start,
        until=end,
        include_domestic=include_all,
    )


def _filter_query(
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


# --------------------------------------------------------------------------- records


def _clean(value: Any) -> Any:
    """JSON-safe values: dates as ISO strings, NaN as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _record(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _clean(v) for k, v in row.items()}


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


def _mention_record(m: dict[str, Any]) -> dict[str, Any]:
    out = _record(m)
    out["document"] = {
        "doc_id": m.get("doc_id"),
        "title": out.pop("doc_title", None),
        "url": out.pop("doc_url", None),
        "name": out.pop("doc_name", None),
        "outlet": m.get("outlet"),
        "published": _clean(m.get("published")),
    }
    out["highlights"] = spans_of(m)
    return out


# --------------------------------------------------------------------------- plumbing


class _Stores:
    """A fresh connection per request, on one database instance kept open for the app.

    The held base connection keeps DuckDB's instance and caches alive (a cold open costs
    tens of milliseconds); a connection per request costs well under one and means a
    request that fails half-way can never leave a half-read result for the next one.
    """

    def __init__(self, path: str, read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self._base = Store(path, read_only=read_only)
        self._base.connection  # noqa: B018 - opens and holds the instance

    @contextmanager
    def open(self) -> Iterator[Store]:
        store = Store(self.path, read_only=self.read_only)
        store.connection  # noqa: B018 - one connection for everything this request does
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        self._base.close()


class _BodyLimit:
    """Refuse request bodies over ``limit`` bytes with a 413, without buffering them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = 0
                if size > self.limit:
                    await self._too_large(send)
                    return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except* _TooLarge:
            await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        body = _error_body(413, f"request body larger than {self.limit} bytes")
        await JSONResponse(body, status_code=413)({"type": "http"}, _no_receive, send)


class _TooLarge(Exception):
    pass


class _SafeHeaders:
    """Add the security headers (and the CSP to HTML pages) to every response.

    Plain ASGI rather than ``@app.middleware``: that one runs the app in a task group,
    which would wrap the body limit's signal in an exception group.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in _SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", _CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _no_receive() -> Message:  # pragma: no cover - never awaited
    return {"type": "http.disconnect"}


def _plotly_js() -> Path | None:
    """plotly.min.js inside the installed plotly package (the page must work offline)."""
    try:
        path = importlib.resources.files("plotly") / "package_data" / "plotly.min.js"
    except ModuleNotFoundError:  # pragma: no cover - plotly is a dependency
        return None
    return Path(str(path)) if path.is_file() else None


# --------------------------------------------------------------------------- the app


def create_app(
    db_path: str | Path,
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    cors_origins: list[str] | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    max_articles: int = DEFAULT_MAX_ARTICLES,
) -> FastAPI:
    """Build the app for the store at ``db_path`` (which must exist unless ingesting).

    ``allow_ingest`` turns on ``POST /articles``, which then needs ``token``; CORS is off
    unless ``cors_origins`` names the origins allowed to call the API from a browser.
    """
    if allow_ingest and not token:
        raise TidingsError(
            "--allow-ingest needs a token: pass --token or set TIDINGS_TOKEN, "
            "so that only you can write to the store"
        )
    path = str(db_path)
    # checks the file (exists, is a store, migrated) and gives a clear error if not
    open_store(path, read_only=not allow_ingest).close()
    stores = _Stores(path, read_only=not allow_ingest)
    write_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        title="tidings",
        summary="Political events coded from news articles: who did what to whom, when.",
        version=_version(),
        docs_url=None,  # the stock pages load from a CDN; /docs is served locally below
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.stores = stores

    # -- errors: one shape everywhere ---------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(_r: Request, exc: ApiError) -> JSONResponse:
        body = _error_body(exc.status, exc.message, exc.details)
        return JSONResponse(body, exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_r: Request, exc: RequestValidationError) -> JSONResponse:
        details = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
            details.append({"param": ".".join(loc) or "request", "message": err.get("msg", "")})
        message = "; ".join(f"{d['param']}: {d['message']}" for d in details) or "bad request"
        return JSONResponse(_error_body(422, message, details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        return JSONResponse(
            _error_body(exc.status_code, message), exc.status_code, headers=exc.headers
        )

    @app.exception_handler(TidingsError)
    async def _tidings_error(_r: Request, exc: TidingsError) -> JSONResponse:
        status = 503 if isinstance(exc, StoreError) else 400
        return JSONResponse(_error_body(status, str(exc)), status)

    @app.exception_handler(Exception)
    async def _unexpected(_r: Request, exc: Exception) -> JSONResponse:
        # no traceback for clients; the server log has it
        return JSONResponse(_error_body(500, f"internal error ({type(exc).__name__})"), 500)

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(_SafeHeaders)
    app.add_middleware(_BodyLimit, limit=max_body)

    # -- the page -------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "docs.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # browsers ask for it on every first visit; a 404 there is a console error
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    plotly_js = _plotly_js()

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        if plotly_js is None:  # pragma: no cover - plotly is a dependency
            raise ApiError(404, "plotly.js is not installed: pip install plotly")
        return FileResponse(plotly_js, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # -- reads ------------------------------------------------------------------------

    @app.get("/events", summary="Events matching filters, one page at a time")
    def events(
        filters: dict[str, Any] = Depends(_filter_query),
        limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="page size"),
        offset: int = Query(
            0, ge=0, le=10**9, description=f"events to skip (at most {MAX_OFFSET:,})"
        ),
        after: str | None = Query(
            None,
            max_length=MAX_CURSOR,
            description="the `next` cursor of the previous page: deep pages stay fast",
        ),
        sort: str = Query("-date", description="one of: " + ", ".join(SORTS)),
        highlights: bool = Query(
            False,
            description="add where the coded words are in each evidence sentence "
            "(one more lookup; /events/{id} always has them)",
        ),
    ) -> dict[str, Any]:
        flt = event_filter(**filters)
        if sort not in SORTS:
            raise _bad("sort", f"unknown sort {_shown(sort)}; use one of: {', '.join(SORTS)}")
        if offset > MAX_OFFSET:
            raise _bad(
                "offset",
                f"at most {MAX_OFFSET:,}; to go deeper, pass each page's `next` as after=",
            )
        if after:
            try:
                check_cursor(after, SORTS[sort])
            except ValueError as exc:
                raise _bad("after", f"{exc}; start again without after=") from None
        with stores.open() as store:
            page = store.page_events(
                flt, limit=limit, offset=offset, order=SORTS[sort], after=after or None
            )
            rows = page.rows.to_pylist()
            best = {r["best_mention_id"] for r in rows if r.get("best_mention_id")}
            found = store.mentions_by_id(sorted(best)) if highlights and best else []
            by_id = {m["mention_id"]: m for m in found}
        out = []
        for row in rows:
            record = _record(row)
            mention = by_id.get(row.get("best_mention_id"))
            ok = mention is not None and mention.get("sentence") == row.get("evidence")
            if highlights:
                record["highlights"] = spans_of(mention) if ok else []
            out.append(record)
        return {
            "total": page.total,
            "total_is_estimate": page.total_is_estimate,
            "limit": limit,
            "offset": offset,
            "next": page.next_after,
            "events": out,
        }

    def stored(
        param: str, what: str, key: str, fetch: Callable[[Store, str], dict[str, Any] | None]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """One stored event or document as its record and its mentions.

        A malformed id is a 422 naming ``param``, an unknown one a 404.
        """
        if not _ID.match(key):
            article = "an" if what[0] in "aeiou" else "a"
            raise _bad(param, f"not {article} {what} id: {_shown(key)}")
        with stores.open() as store:
            found = fetch(store, key)
        if found is None:
            raise ApiError(404, f"no {what} {key!r}")
        mentions = found.pop("mentions", [])
        return _record(found), mentions

    @app.get("/events/{event_id}", summary="One event with every mention and its evidence")
    def event(event_id: str) -> dict[str, Any]:
        record, mentions = stored("event_id", "event", event_id, lambda s, k: s.event(k))
        record["mentions"] = [_mention_record(m) for m in mentions]
        return record

    @app.get("/documents/{doc_id}", summary="One stored article with its text and mentions")
    def document(doc_id: str) -> dict[str, Any]:
        record, mentions = stored("doc_id", "document", doc_id, lambda s, k: s.document(k))
        record["mentions"] = [{**_record(m), "highlights": spans_of(m)} for m in mentions]
        return record

    @app.get("/actors", summary="Actors whose name contains q, with roles and tenures")
    def actors(
        q: str = Query(..., min_length=1, max_length=MAX_TEXT, description="part of a name"),
        limit: int = Query(20, ge=1, le=100),
    ) -> dict[str, Any]:
        query = _text("q", q)
        if not query:
            raise _bad("q", "empty")
        with stores.open() as store:
            return {"query": query, "actors": search_actors(store, query, limit)}

    @app.get("/stats", summary="What is in the store, at a glance")
    def stats() -> dict[str, Any]:
        with stores.open() as store:
            return jsonable_encoder(_record(store.stats()))

    @app.get("/meta", summary="Choices for the page: countries and CAMEO roots in the store")
    def meta() -> dict[str, Any]:
        with stores.open() as store:
            stats = store.stats()
            counts = store.country_counts()
        return {
            "countries": [
                {"code": c, "name": _country_name(c), "events": n} for c, n in counts.items()
            ],
            "quads": _quads(),
            "roots": _roots(stats.get("by_root") or {}),
            "stats": {
                "events": stats.get("events"),
                "mentions": stats.get("mentions"),
                "documents": stats.get("documents"),
                "first_date": _clean(stats.get("first_event")),
                "last_date": _clean(stats.get("last_event")),
            },
        }

    @app.get("/timeline", summary="The events of a dyad or actor in date order")
    def timeline(
        filters: dict[str, Any] = Depends(_filter_query),
        limit: int = Query(500, ge=1, le=5000, description="most entries to return"),
    ) -> dict[str, Any]:
        flt = event_filter(**filters)
        with stores.open() as store:
            entries = timeline_entries(store, flt, limit)
        return {"entries": [_record(e) for e in entries]}

    @app.get("/export", summary="Every matching event as a file (streamed)")
    def export(
        format: str = Query("csv", description="csv, jsonl, parquet, gdelt, icews, plover, tkg"),
        filters: dict[str, Any] = Depends(_filter_query),
        mentions: bool = Query(False, description="export mentions instead of events"),
    ) -> FileResponse:
        flt = event_filter(**filters)
        with stores.open() as store:
            return export_response(store, format, flt, mentions)

    # -- writes -----------------------------------------------------------------------

    @app.post("/articles", summary="Code and store articles (needs --allow-ingest and a token)")
    async def post_articles(request: Request) -> dict[str, Any]:
        if not allow_ingest:
            raise ApiError(
                403, "ingest over the API is off; start the server with --allow-ingest --token"
            )
        _check_token(request.headers.get("authorization"), token or "")
        try:
            payload = await request.json()
        except RecursionError:  # json nests by recursion: 2,000 levels overflow the stack
            raise ApiError(422, "the body nests too deeply: send a list of articles") from None
        except ValueError:  # not JSON, not UTF-8, or an integer of over 4,300 digits
            raise ApiError(422, "the body is not JSON: send a list of articles") from None
        articles = parse_articles(payload, max_articles)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(ingest_articles, stores, write_lock, articles)

    return app


# --------------------------------------------------------------------------- helpers


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("tidings")
    except Exception:  # pragma: no cover - running from a source tree
        return "0"


def _country_name(code: str) -> str | None:
    """The name the coder gives the country (data/countries.yaml), as events show it."""
    from tidings.actors import load_tables

    found = load_tables().countries.get(code)
    return found.name if found else None


def _quads() -> list[dict[str, Any]]:
    """The four quad classes with the names and colours of :mod:`tidings.charts`.

    The page colours its timeline from this list, so a chart file and the page always
    agree on which colour is which class.
    """
    from tidings.charts import QUAD_COLORS, QUAD_NAMES

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
    found: list[dict[str, Any]] = []
    try:
        from tidings.actors import search_actors as table_search  # the coder's tables
    except ImportError:
        table_search = None
    if table_search is not None:
        for actor in table_search(query, limit):
            found.append({**_record(dict(actor)), "from": "actor tables"})
    seen = {(a.get("name") or "").lower() for a in found}
    for row in store.actor_names(query, limit):
        name = row.get("name") or row.get("id") or row.get("code")
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        found.append({**_record(row), "name": name, "from": "events"})
    return found[:limit]


def timeline_entries(store: Store, flt: EventFilter, limit: int) -> list[dict[str, Any]]:
    """Timeline entries (date, one-line summary, evidence, sources) from :mod:`tidings.timeline`."""
    from tidings.timeline import build_timeline

    return [entry.to_dict() for entry in build_timeline(store, flt, limit=limit)]


#: export format -> (media type, file suffix)
EXPORT_TYPES: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "jsonl": ("application/x-ndjson", ".jsonl"),
    "parquet": ("application/vnd.apache.parquet", ".parquet"),
    "gdelt": ("text/tab-separated-values; charset=utf-8", ".gdelt.tsv"),
    "icews": ("text/tab-separated-values; charset=utf-8", ".icews.tsv"),
    "plover": ("application/x-ndjson", ".plover.jsonl"),
    "tkg": ("text/tab-separated-values; charset=utf-8", ".tkg.tsv"),
}


def export_response(store: Store, fmt: str, flt: EventFilter, mentions: bool) -> FileResponse:
    """Write an export with :func:`tidings.export.export`, then stream the file back.

    The export module writes files (Parquet needs one); writing to a temporary file
    keeps memory bounded by one batch however large the store, and the response sends
    it in chunks and deletes it afterwards.
    """
    from tidings import export

    if fmt not in export.FORMATS:
        choices = ", ".join(export.FORMATS)
        raise _bad("format", f"unknown format {_shown(fmt)}; use one of: {choices}")
    if mentions and fmt not in ("csv", "jsonl", "parquet"):
        raise _bad("mentions", "mentions export only as csv, jsonl or parquet")
    media, suffix = EXPORT_TYPES.get(fmt, ("application/octet-stream", f".{fmt}"))
    folder = tempfile.mkdtemp(prefix="tidings-export-")
    name = ("mentions" if mentions else "events") + suffix
    try:
        export.export(store, fmt, Path(folder) / name, flt, mentions=mentions)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        Path(folder) / name,
        media_type=media,
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


_BEARER = {"WWW-Authenticate": "Bearer"}


def _check_token(header: str | None, token: str) -> None:
    """A missing, malformed or wrong token is a 401 (the credentials are at fault, RFC
    9110 15.5.2); 403 is kept for a server that does not take writes at all."""
    if not header:
        raise ApiError(401, "this needs a token: send Authorization: Bearer <token>", [], _BEARER)
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(401, "use Authorization: Bearer <token>", [], _BEARER)
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "wrong token", [], _BEARER)


_ARTICLE_FIELDS = {"text", "title", "url", "published", "outlet"}


def parse_articles(payload: Any, max_articles: int) -> list[Any]:
    """Articles from a posted JSON list, each checked; errors name the record."""
    from tidings.ingest.normalize import make_article

    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list) or not payload:
        raise ApiError(422, 'send a JSON list of articles: [{"text": ...}, ...]')
    if len(payload) > max_articles:
        raise ApiError(422, f"at most {max_articles} articles per request, got {len(payload)}")
    articles = []
    for i, item in enumerate(payload):
        where = f"articles[{i}]"
        if not isinstance(item, dict):
            raise _bad(where, "not an object")
        unknown = sorted(set(item) - _ARTICLE_FIELDS)
        if unknown:
            raise _bad(where, f"unknown fields {unknown}; use {sorted(_ARTICLE_FIELDS)}")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad(where, "needs a non-empty 'text'")
        for key in ("title", "url", "outlet", "published"):
            if item.get(key) is not None and not isinstance(item[key], str):
                raise _bad(where, f"{key!r} must be a string")
        published = _date(f"{where}.published", item.get("published"))
        article = make_article(
            text,
            published=published,
            title=item.get("title"),
            url=item.get("url"),
            outlet=item.get("outlet"),
            origin=f"api:{where}",
        )
        if not article.text.strip():
            raise _bad(where, "no text left after normalisation")
        articles.append(article)
    return articles


def ingest_articles(stores: _Stores, lock: threading.Lock, articles: list[Any]) -> dict[str, Any]:
    """Code and store articles through the pipeline, under the one write lock."""
    from tidings.pipeline import ingest_articles as run

    with lock:
        with stores.open() as store:
            report = run(articles, store)
    return {**report.as_dict(), "doc_ids": [a.doc_id for a in articles]}
