"""Connections to the store for the server's worker threads.

DuckDB is fastest with a database instance that stays open (its caches survive between
queries), and one connection must not be used by two threads at once. The app keeps
the instance open for its whole life, with a small pool of connections on it: each
request borrows one for all it does, so requests run their queries side by side, and
a request's next query discards anything a failed one left half-read.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from tidings.store import Store

__all__ = ["AnswerCache", "Stores"]


class Stores:
    """A pool of connections on one database instance kept open for the app.

    At most ``size`` requests query at once, each on a connection of its own; the
    others wait for one to come back. DuckDB runs each query on several threads
    already, so more queries at once than that only make them fight over the cores.
    """

    def __init__(self, path: str, read_only: bool, size: int | None = None) -> None:
        self.path = path
        self.read_only = read_only
        self.size = size or max(2, 2 * (os.cpu_count() or 1))
        self._base = Store(path, read_only=read_only)
        self._base.connection  # noqa: B018 - opens and holds the instance
        self._free: queue.LifoQueue[Store] = queue.LifoQueue()
        for _ in range(self.size):
            store = Store(path, read_only=read_only)
            store.connection  # noqa: B018 - one connection per pooled store
            self._free.put(store)

    @contextmanager
    def open(self) -> Iterator[Store]:
        """A store whose every call in the block uses one pooled connection."""
        store = self._free.get()
        try:
            yield store
        finally:
            self._free.put(store)

    def close(self) -> None:
        """Release the file (the server is stopping)."""
        while not self._free.empty():
            self._free.get_nowait().close()
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
