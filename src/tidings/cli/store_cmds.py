"""Commands registered on the shared Typer app (see ``_app.py``)."""

from __future__ import annotations

from tidings.cli._app import app  # noqa: F401
