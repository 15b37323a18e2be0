"""Notes from the library (skipped files, cut titles) shown on stderr during a command.

The library logs them under ``tidings.ingest`` and, as a library should, prints nothing
itself (``tidings`` has a ``NullHandler``); a command that reads input shows them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rich.markup import escape

from tidings.cli._app import err_console

__all__ = ["show_notes"]

T = TypeVar("T")


class _ConsoleNotes(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        err_console.print(
            f"[yellow]{escape(record.getMessage())}[/]", soft_wrap=True, highlight=False
        )


def show_notes(run: Callable[..., T]) -> Callable[..., T]:
    """``run``, with the ingest notes printed (above a progress bar, if one is live)."""

    @functools.wraps(run)
    def wrapped(*args: Any, **kwargs: Any) -> T:
        logger = logging.getLogger("tidings.ingest")
        handler = _ConsoleNotes(logging.WARNING)
        logger.addHandler(handler)
        try:
            return run(*args, **kwargs)
        finally:
            logger.removeHandler(handler)

    return wrapped
