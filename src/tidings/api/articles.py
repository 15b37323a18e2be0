"""``POST /articles``: code and store articles, behind a token.

Off unless the app is created with ``allow_ingest=True``; then every request needs
``Authorization: Bearer <token>``. A missing, malformed or wrong token is a 401 (the
credentials are at fault, RFC 9110 15.5.2); 403 means the server takes no writes at
all. Writes go through one lock: DuckDB has one writer.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool

from tidings.api.errors import ApiError, bad
from tidings.api.params import OPTIONAL_DATE
from tidings.api.schemas import ArticlesResult, error_responses
from tidings.api.stores import Stores
from tidings.resolve import check_day

__all__ = ["WriteSettings", "ingest_articles", "parse_articles", "router"]

router = APIRouter()

_BEARER = {"WWW-Authenticate": "Bearer"}
_ARTICLE_FIELDS = {"text", "title", "url", "published", "outlet"}


@dataclass
class WriteSettings:
    """Whether and how the app takes writes (kept in ``app.state.writes``)."""

    allow_ingest: bool
    token: str
    max_articles: int
    lock: threading.Lock = field(default_factory=threading.Lock)


#: the body of POST /articles, for the schema (parse_articles checks it by hand, so
#: that every error names the record at fault)
_ARTICLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "title": {"type": ["string", "null"]},
        "url": {"type": ["string", "null"]},
        "outlet": {"type": ["string", "null"]},
        "published": OPTIONAL_DATE,
    },
}
_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"type": "array", "minItems": 1, "items": _ARTICLE_SCHEMA},
        }
    },
}


@router.post(
    "/articles",
    summary="Code and store articles (needs --allow-ingest and a token)",
    response_model=None,
    responses={200: {"model": ArticlesResult}, **error_responses(401, 403, 413, 422)},
    dependencies=[Depends(HTTPBearer(auto_error=False))],  # documents the bearer token
    openapi_extra={"requestBody": _BODY},
)
async def post_articles(request: Request) -> dict[str, Any]:
    writes: WriteSettings = request.app.state.writes
    if not writes.allow_ingest:
        raise ApiError(
            403, "ingest over the API is off; start the server with --allow-ingest --token"
        )
    check_token(request.headers.get("authorization"), writes.token)
    try:
        payload = await request.json()
    except RecursionError:  # json nests by recursion: 2,000 levels overflow the stack
        raise ApiError(422, "the body nests too deeply: send a list of articles") from None
    except ValueError:  # not JSON, not UTF-8, or an integer of over 4,300 digits
        raise ApiError(422, "the body is not JSON: send a list of articles") from None
    articles = parse_articles(payload, writes.max_articles)
    stores: Stores = request.app.state.stores
    return await run_in_threadpool(ingest_articles, stores, writes.lock, articles)


def check_token(header: str | None, token: str) -> None:
    """Raise a 401 unless ``header`` is ``Bearer <token>`` (compared in constant time)."""
    if not header:
        raise ApiError(401, "this needs a token: send Authorization: Bearer <token>", [], _BEARER)
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(401, "use Authorization: Bearer <token>", [], _BEARER)
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "wrong token", [], _BEARER)


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
            raise bad(where, "not an object")
        unknown = sorted(set(item) - _ARTICLE_FIELDS)
        if unknown:
            raise bad(where, f"unknown fields {unknown}; use {sorted(_ARTICLE_FIELDS)}")
        text = item.get("text")
        if text is not None and not isinstance(text, str):
            raise bad(where, f"'text' must be a string, not {type(text).__name__}")
        if not isinstance(text, str) or not text.strip():
            raise bad(where, "needs a non-empty 'text'")
        for key in ("title", "url", "outlet", "published"):
            if item.get(key) is not None and not isinstance(item[key], str):
                raise bad(where, f"{key!r} must be a string")
        published = check_day(item.get("published"), f"{where}.published")
        article = make_article(
            text,
            published=published,
            title=item.get("title"),
            url=item.get("url"),
            outlet=item.get("outlet"),
            origin=f"api:{where}",
        )
        if not article.text.strip():
            raise bad(where, "no text left after normalisation")
        articles.append(article)
    return articles


def ingest_articles(stores: Stores, lock: threading.Lock, articles: list[Any]) -> dict[str, Any]:
    """Code and store articles through the pipeline, under the one write lock."""
    from tidings.pipeline import ingest_articles as run

    with lock, stores.writing(), stores.open() as store:
        report = run(articles, store)
    return {**report.as_dict(), "doc_ids": [a.doc_id for a in articles]}
