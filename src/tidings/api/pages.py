"""The web page, the API docs page, the favicon and their static files (no schema)."""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from tidings.api.errors import ApiError

__all__ = ["STATIC_DIR", "install_pages"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


@router.get("/docs")
def docs() -> FileResponse:
    return FileResponse(STATIC_DIR / "docs.html", media_type="text/html")


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    # browsers ask for it on every first visit; a 404 there is a console error
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")


@functools.cache
def _plotly_js() -> Path | None:
    """plotly.min.js inside the installed plotly package (the page must work offline)."""
    try:
        path = importlib.resources.files("plotly") / "package_data" / "plotly.min.js"
    except ModuleNotFoundError:  # pragma: no cover - plotly is a dependency
        return None
    return Path(str(path)) if path.is_file() else None


@router.get("/static/plotly.min.js")
def plotly() -> FileResponse:
    found = _plotly_js()
    if found is None:  # pragma: no cover - plotly is a dependency
        raise ApiError(404, "plotly.js is not installed: pip install plotly")
    return FileResponse(found, media_type="text/javascript")


def install_pages(app: FastAPI) -> None:
    """The page routes, then the static folder (mounted last: it takes all of /static)."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
