"""The one JSON error shape, and the handlers that give every failure that shape.

Every answer that is not a success looks like this, whatever went wrong::

    {"error": {"status": 422, "message": "since: not a date ...",
               "details": [{"param": "since", "message": "..."}]}}

An unexpected exception becomes a 500 that names only the exception's type: the
traceback goes to the server log, never to the client.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tidings.errors import StoreError, TidingsError
from tidings.resolve import BadFilter, shown

__all__ = ["ApiError", "bad", "error_body", "install_error_handlers", "shown"]


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


def error_body(
    status: int, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The body of every error answer."""
    return {"error": {"status": status, "message": message, "details": details or []}}


def bad(param: str, message: str) -> ApiError:
    """A 422 that names the parameter at fault."""
    return ApiError(422, f"{param}: {message}", [{"param": param, "message": message}])


async def _api_error(_r: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    body = error_body(exc.status, exc.message, exc.details)
    return JSONResponse(body, exc.status, headers=exc.headers)


async def _bad_filter(_r: Request, exc: Exception) -> JSONResponse:
    # a filter the CLI would refuse too (tidings.resolve): a 422 that names the parameter
    assert isinstance(exc, BadFilter)
    return await _api_error(_r, bad(exc.param, exc.message))


async def _validation_error(_r: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        details.append({"param": ".".join(loc) or "request", "message": err.get("msg", "")})
    message = "; ".join(f"{d['param']}: {d['message']}" for d in details) or "bad request"
    return JSONResponse(error_body(422, message, details), 422)


async def _http_error(_r: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "error"
    return JSONResponse(error_body(exc.status_code, message), exc.status_code, headers=exc.headers)


async def _tidings_error(_r: Request, exc: Exception) -> JSONResponse:
    status = 503 if isinstance(exc, StoreError) else 400
    return JSONResponse(error_body(status, str(exc)), status)


async def _unexpected(_r: Request, exc: Exception) -> JSONResponse:
    # the client learns only the exception's type; Starlette re-raises the exception
    # after this answer is sent, so the server log has the traceback
    return JSONResponse(error_body(500, f"internal error ({type(exc).__name__})"), 500)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every kind of failure with :func:`error_body`."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(BadFilter, _bad_filter)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(TidingsError, _tidings_error)
    app.add_exception_handler(Exception, _unexpected)
