"""The app factory: one FastAPI app for one store, its routes, errors and middleware."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from tidings.api import articles, exports, reads
from tidings.api.errors import install_error_handlers
from tidings.api.middleware import BodyLimit, CachedAnswers, SafeHeaders
from tidings.api.pages import install_pages
from tidings.api.stores import AnswerCache, Stores
from tidings.errors import TidingsError
from tidings.store import open_store

__all__ = ["DEFAULT_MAX_ARTICLES", "DEFAULT_MAX_BODY", "create_app", "from_environment"]

#: what ``tidings serve --workers N`` tells each worker process (see from_environment)
ENV_DB = "TIDINGS_SERVE_DB"
ENV_CORS = "TIDINGS_SERVE_CORS"

#: request bodies larger than this get a 413 before they are read to the end
DEFAULT_MAX_BODY = 5 * 1024 * 1024
#: articles one POST /articles may carry
DEFAULT_MAX_ARTICLES = 100
#: the read endpoints whose JSON answers are cached until the next write
CACHED_PATHS = ("/events", "/documents", "/actors", "/stats", "/meta", "/timeline")


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
    stores = Stores(path, read_only=not allow_ingest)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # the actor tables name the countries in /meta and answer /actors, and the
        # events' JSON makes pages: load them (a second or so, once per process)
        # before the first page asks
        from tidings.actors import load_tables

        await run_in_threadpool(load_tables)
        await run_in_threadpool(stores.warm)
        yield
        stores.close()

    app = FastAPI(
        title="tidings",
        summary="Political events coded from news articles: who did what to whom, when.",
        version=_version(),
        docs_url=None,  # the stock pages load from a CDN; /docs is served locally
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.stores = stores
    app.state.writes = articles.WriteSettings(
        allow_ingest=allow_ingest, token=token or "", max_articles=max_articles
    )
    install_error_handlers(app)
    # the innermost first: CORS, the security headers and the body limit wrap the
    # cache, so an answer from the cache gets their headers too
    app.add_middleware(CachedAnswers, cache=AnswerCache(), paths=CACHED_PATHS)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SafeHeaders)
    app.add_middleware(BodyLimit, limit=max_body)
    install_pages(app)
    app.include_router(reads.router)
    app.include_router(exports.router)
    app.include_router(articles.router)
    return app


def from_environment() -> FastAPI:
    """A read-only app for the store named by ``$TIDINGS_SERVE_DB`` (CORS origins, if
    any, in ``$TIDINGS_SERVE_CORS``, comma-separated).

    The factory uvicorn calls in each worker process of ``tidings serve --workers N``:
    several processes may read one DuckDB file (never write it), and each has its own
    interpreter, so the Python part of the requests runs on every core.
    """
    import os

    origins = [o for o in os.environ.get(ENV_CORS, "").split(",") if o]
    return create_app(os.environ[ENV_DB], cors_origins=origins or None)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("tidings")
    except Exception:  # pragma: no cover - running from a source tree
        return "0"
