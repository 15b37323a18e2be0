"""Connections to the store for the server's worker threads.

DuckDB is fastest with a database instance that stays open (its caches survive between
queries), and one connection must not be used by two threads at once. The app keeps
one base connection open for its whole life, and each request opens its own
connection on that same instance (well under a millisecond), so requests run their
queries in parallel and a request that fails half-way never leaves a half-read result
for the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tidings.store import Store

__all__ = ["Stores"]


class Stores:
    """A fresh connection per request, on one database instance kept open for the app."""

    def __init__(self, path: str, read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self._base = Store(path, read_only=read_only)
        self._base.connection  # noqa: B018 - opens and holds the instance

    @contextmanager
    def open(self) -> Iterator[Store]:
        """A store whose every call in the block uses one connection of its own."""
        store = Store(self.path, read_only=self.read_only)
        store.connection  # noqa: B018 - one connection for everything this request does
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        """Release the file (the server is stopping)."""
        self._base.close()
