"""Connections to the store for the server's worker threads.

DuckDB is fastest with a database instance that stays open (its caches survive between
queries), and one connection must not be used by two threads at once. The app keeps
one base connection open for its whole life, and each request opens its own
connection on that same instance (well under a millisecond), so requests run their
queries in parallel and a request that fails half-way never leaves a half-read result
for the next one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from tidings.store import Store

__all__ = ["AnswerCache", "Stores"]


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


class AnswerCache:
    """Recent JSON answers by request (path and query), dropped whenever the store changes.

    The page and the programs that call the API ask the same questions again and again
    (the first page of events, the choices in /meta), and the store can only change
    through this app while it runs: DuckDB lets no other process write a file that a
    process holds, even read-only. So an answer stays right until this app writes, and
    every write calls :meth:`clear`. Bounded in entries and in the size of each answer.
    """

    def __init__(self, entries: int = 256, largest: int = 256 * 1024) -> None:
        self.entries = entries
        self.largest = largest
        self._answers: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0

    def get(self, key: str) -> tuple[bytes | None, int]:
        """The cached answer (or None) and the generation to pass to :meth:`put`."""
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
            return found, self._generation

    def put(self, key: str, body: bytes, generation: int) -> None:
        """Keep ``body`` unless the store changed since :meth:`get` or it is too large."""
        if len(body) > self.largest or self.entries <= 0:
            return
        with self._lock:
            if generation != self._generation:
                return  # a write happened while this answer was computed
            self._answers[key] = body
            self._answers.move_to_end(key)
            while len(self._answers) > self.entries:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer (the store has changed)."""
        with self._lock:
            self._generation += 1
            self._answers.clear()
