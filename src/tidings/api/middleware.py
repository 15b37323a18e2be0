"""Plain ASGI middleware: a request body limit, the security headers, an answer cache.

Plain ASGI rather than ``@app.middleware``: that one runs the app in a task group,
which would wrap the body limit's signal in an exception group.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tidings.api.errors import error_body
from tidings.api.stores import AnswerCache

__all__ = ["BodyLimit", "CachedAnswers", "SafeHeaders"]

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


class _TooLarge(Exception):
    pass


class BodyLimit:
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
        body = error_body(413, f"request body larger than {self.limit} bytes")
        await JSONResponse(body, status_code=413)({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - never awaited
    return {"type": "http.disconnect"}


class SafeHeaders:
    """Add the security headers (and the CSP to HTML pages) to every response."""

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


class CachedAnswers:
    """Answer repeated GETs of the JSON endpoints from an :class:`AnswerCache`.

    Only ``200 application/json`` answers of the paths in ``paths`` (and below them)
    are kept, keyed by path and raw query string; a successful request of any other
    method (a write) clears the cache. On a hit nothing else runs: no parameter
    parsing, no query, no encoding.
    """

    def __init__(self, app: ASGIApp, cache: AnswerCache, paths: tuple[str, ...]) -> None:
        self.app = app
        self.cache = cache
        self.paths = paths

    def _cacheable(self, scope: Scope) -> bool:
        path = scope["path"]
        return scope["method"] == "GET" and any(
            path == p or path.startswith(p + "/") for p in self.paths
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._cacheable(scope):
            await self.app(scope, receive, self._clearing(scope, send))
            return
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        body, generation = self.cache.get(key)
        if body is not None:
            await Response(body, media_type="application/json")(scope, receive, send)
            return
        start: Message | None = None
        parts: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None:
                parts.append(message.get("body", b""))
                if not message.get("more_body") and self._storable(start):
                    self.cache.put(key, b"".join(parts), generation)
            await send(message)

        await self.app(scope, receive, keep)

    @staticmethod
    def _storable(start: Message) -> bool:
        headers = dict(start.get("headers", []))
        kind = headers.get(b"content-type", b"")
        return start["status"] == 200 and kind.startswith(b"application/json")

    def _clearing(self, scope: Scope, send: Send) -> Send:
        """``send``, clearing the cache once a write has succeeded."""
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return send

        async def clearing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 300:
                self.cache.clear()
            await send(message)

        return clearing_send
