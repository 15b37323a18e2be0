"""Connections to the store for the server's worker threads, and what reads remember.

DuckDB is fastest with a database instance that stays open (its caches survive between
queries), and one connection must not be used by two threads at once. The app keeps
the instance open for its whole life, with a small pool of connections on it: each
request borrows one for all it does, so requests run their queries side by side, and
a request's next query discards anything a failed one left half-read.

Reads also remember what only a write can change: whether every event has its search
keys, how many events a filter matches, and each event's JSON (:class:`EventJson`).
The store can only change through this app while it runs (DuckDB lets no other
process write a file that a process holds, even read-only), and every write goes
through :meth:`Stores.writing`, which moves the store's *generation* on before and
after it. A read notes the generation, works, and uses what it remembered only if the
generation is still the same and no write was under way (a sequence lock).
"""

from __future__ import annotations

import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from tidings.model import EVENT_SCHEMA
from tidings.store import Store

__all__ = ["AnswerCache", "CountCache", "EventJson", "Stores"]

#: stores of up to this many events keep every event's JSON in memory (about 760 bytes
#: an event: 76 MB for 100,000); larger stores read each page's rows from the file
MEMORY_EVENTS = 200_000
#: bytes of remembered filter matches (row ids, 8 bytes each) per store generation
MATCHES_BYTES = 64 * 1024 * 1024


class Stores:
    """A pool of connections on one database instance kept open for the app.

    At most ``size`` requests query at once, each on a connection of its own; the
    others wait for one to come back. DuckDB runs each query on several threads
    already, so more queries at once than that only make them fight over the cores.
    """

    def __init__(
        self,
        path: str,
        read_only: bool,
        size: int | None = None,
        memory_events: int = MEMORY_EVENTS,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.size = size or max(2, 2 * (os.cpu_count() or 1))
        #: even while the store is steady, odd while a write is under way
        self._generation = 0
        self._generation_lock = threading.Lock()
        self._keyed: tuple[int, bool] | None = None
        self.counts = CountCache()
        self.event_json = EventJson(memory_events)
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

    def generation(self) -> int | None:
        """The store's generation now, or None while a write is under way."""
        found = self._generation
        return None if found % 2 else found

    def unchanged_since(self, generation: int | None) -> bool:
        """Whether no write began or ended since :meth:`generation` gave ``generation``."""
        return generation is not None and self._generation == generation

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Wrap every write: what reads remember is dropped before it and after it."""
        self._step()
        try:
            yield
        finally:
            self._step()

    def _step(self) -> None:
        with self._generation_lock:
            self._generation += 1
            self._keyed = None
            self.counts.clear()

    def keyed(self, store: Store, generation: int | None) -> bool:
        """Whether every event has its search keys (asked once a generation)."""
        known = self._keyed
        if known is not None and known[0] == generation:
            return known[1]
        found = store.keys_complete()
        if generation is not None:
            self._keyed = (generation, found)
        return found

    def warm(self) -> None:
        """Read the events' JSON before the first page asks (see :class:`EventJson`)."""
        generation = self.generation()
        if generation is not None:
            with self.open() as store:
                self.event_json.build(store, generation)

    def close(self) -> None:
        """Release the file (the server is stopping)."""
        while not self._free.empty():
            self._free.get_nowait().close()
        self._base.close()


class _Recent:
    """A map that keeps the ``entries`` most recently used items, for several threads."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def _find(self, key: Any) -> Any:
        """The item (or None); the caller holds the lock."""
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def _keep(self, key: Any, value: Any) -> None:
        """Keep an item, forgetting the oldest past ``entries``; the caller holds the lock."""
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.entries:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every item (the store has changed)."""
        with self._lock:
            self._items.clear()


class AnswerCache(_Recent):
    """Recent JSON answers by request (path and query), dropped whenever the store changes.

    The page and the programs that call the API ask the same questions again and again
    (the first page of events, the choices in /meta), and the store can only change
    through this app while it runs: DuckDB lets no other process write a file that a
    process holds, even read-only. So an answer stays right until this app writes, and
    every write calls :meth:`clear`. Bounded in entries and in the size of each answer.
    """

    def __init__(self, entries: int = 256, largest: int = 256 * 1024) -> None:
        super().__init__(entries)
        self.largest = largest
        self._generation = 0

    def get(self, key: str) -> tuple[bytes | None, int]:
        """The cached answer (or None) and the generation to pass to :meth:`put`."""
        with self._lock:
            return self._find(key), self._generation

    def put(self, key: str, body: bytes, generation: int) -> None:
        """Keep ``body`` unless the store changed since :meth:`get` or it is too large."""
        if len(body) > self.largest or self.entries <= 0:
            return
        with self._lock:
            if generation == self._generation:  # else a write happened meanwhile
                self._keep(key, body)

    def clear(self) -> None:
        """Forget every answer (the store has changed)."""
        with self._lock:
            self._generation += 1
            self._items.clear()


class CountCache(_Recent):
    """How many events each recent filter matched (a bounded count), by its SQL.

    A page by cursor, or of a store too large for :class:`EventJson`, costs one narrow
    query when its filter's count is known: the next page of a search. Cleared by
    :meth:`Stores.writing`; the caller keeps a count only if the generation did not
    move while it counted.
    """

    def __init__(self, entries: int = 4096) -> None:
        super().__init__(entries)

    @staticmethod
    def key(where: str, params: Sequence[Any], cap: int) -> tuple[Any, ...]:
        """The cache key of one bounded count."""
        return (where, *params, cap)

    def get(self, key: tuple[Any, ...]) -> int | None:
        """The remembered count, or None."""
        with self._lock:
            return self._find(key)

    def put(self, key: tuple[Any, ...], count: int) -> None:
        """Remember ``count`` (the oldest entries go past ``entries``)."""
        with self._lock:
            self._keep(key, count)


#: each event as one JSON object, written by DuckDB (NaN and infinities as null, dates
#: as ISO days), in the columns and order of EVENT_SCHEMA, as json_answer writes them
_FIELDS = ", ".join(
    f'"{f.name}" := '
    + (
        f'CASE WHEN isfinite("{f.name}") THEN "{f.name}" END'
        if pa.types.is_floating(f.type)
        else f'"{f.name}"'
    )
    for f in EVENT_SCHEMA
)
_EVENT_JSON_SQL = (
    f"SELECT rowid AS rid, to_json(struct_pack({_FIELDS}))::VARCHAR AS json "
    "FROM events ORDER BY rowid"
)


@dataclass
class _Snapshot:
    """The events of one generation in memory: JSON texts and sort ranks, by row id."""

    generation: int
    #: row id -> index into ``texts`` (-1 where no event has that row id)
    at: np.ndarray
    texts: pa.Array
    #: order (``_keys_sql`` of it) -> row id -> position in that order; built when asked
    ranks: dict[str, np.ndarray] = field(default_factory=dict)
    #: recent filters (SQL and parameters) -> the row ids that match, bounded in bytes
    matches: OrderedDict[tuple[Any, ...], np.ndarray] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def matching(self, key: tuple[Any, ...]) -> np.ndarray | None:
        """The remembered matches of a filter, or None."""
        with self.lock:
            found = self.matches.get(key)
            if found is not None:
                self.matches.move_to_end(key)
            return found

    def remember(self, key: tuple[Any, ...], rids: np.ndarray, budget: int) -> None:
        """Keep a filter's matches, forgetting the oldest past ``budget`` bytes."""
        with self.lock:
            self.matches[key] = rids
            used = sum(m.nbytes for m in self.matches.values())
            while used > budget and len(self.matches) > 1:
                used -= self.matches.popitem(last=False)[1].nbytes


class EventJson:
    """The events of one generation in memory, so that a page reads no wide column.

    Reading a page's rows in full from the file costs about as much as finding them:
    DuckDB decodes a block of every one of the 33 columns for each row. Kept here: every
    event's JSON (one Arrow string column, written by DuckDB in one pass), and for each
    sort order asked, every event's position in it (one array of integers). A page by
    offset is then one narrow query (the row ids that match the filter: they are the
    count too, and are kept for the next page or sort of the same filter) and array
    work in numpy: the matches' positions, the ``offset + limit`` smallest by
    partition, their JSON joined. No per-row Python.

    Only stores of up to ``max_events`` events are kept; anything amiss (a larger
    store, a build under way in another thread, a row id it does not hold) sends the
    caller back to the file, and the caller checks that no write began meanwhile.
    """

    def __init__(self, max_events: int = MEMORY_EVENTS) -> None:
        self.max_events = max_events
        self._built: _Snapshot | None = None
        self._too_many: int | None = None  # generation at which the store was too large
        self._building = threading.Lock()

    def snapshot(self, store: Store, generation: int | None) -> _Snapshot | None:
        """This generation's snapshot, built if need be (None if not to be had now)."""
        if generation is None or self.max_events <= 0:
            return None
        built = self._built
        if built is None or built.generation != generation:
            return self.build(store, generation)
        return built

    def rows(self, store: Store, generation: int | None, rids: Sequence[int]) -> list[str] | None:
        """The JSON of the events with these row ids, in order, or None."""
        built = self.snapshot(store, generation)
        if built is None:
            return None
        return _texts(built, np.asarray(rids, dtype=np.int64))

    def page(
        self,
        store: Store,
        generation: int | None,
        where: tuple[str, Sequence[Any]],
        order_sql: str,
        offset: int,
        limit: int,
    ) -> tuple[np.ndarray, int, list[str]] | None:
        """One page: the row ids (``limit`` + 1 at most), how many match, the JSON texts.

        ``where`` is a filter's SQL and parameters, ``order_sql`` an ``ORDER BY`` body
        ending in ``rowid`` (ties broken as :meth:`Store.page_rowids` breaks them).
        """
        built = self.snapshot(store, generation)
        if built is None:
            return None
        rank = built.ranks.get(order_sql)
        if rank is None:
            with store.session() as con:
                order = con.execute(f"SELECT rowid FROM events ORDER BY {order_sql}")
                ids = order.fetchnumpy()["rowid"].astype(np.int64)
            rank = np.full(len(built.at), len(ids), dtype=np.int64)
            rank[ids] = np.arange(len(ids), dtype=np.int64)
            built.ranks[order_sql] = rank
        sql, params = where
        key = (sql, *params)
        matches = built.matching(key)
        if matches is None:
            with store.session() as con:
                found = con.execute(f"SELECT rowid FROM events WHERE {sql}", list(params))
                matches = found.fetchnumpy()["rowid"].astype(np.int64)
            built.remember(key, matches, MATCHES_BYTES)
        if len(matches) and int(matches.max()) >= len(rank):
            return None  # a row id the snapshot does not hold
        ranks = rank[matches]
        want = int(offset) + int(limit) + 1
        if want < len(ranks):
            near = np.argpartition(ranks, want - 1)[:want]
            picked = near[np.argsort(ranks[near])]
        else:
            picked = np.argsort(ranks)
        rids = matches[picked[int(offset) : want]]
        texts = _texts(built, rids[: int(limit)])
        return (rids, len(matches), texts) if texts is not None else None

    def build(self, store: Store, generation: int) -> _Snapshot | None:
        """Read every event's JSON for ``generation`` (None if too many, or busy)."""
        if self._too_many == generation:
            return None
        if not self._building.acquire(blocking=False):
            return None  # another thread is building it: read this page from the file
        try:
            built = self._built
            if built is not None and built.generation == generation:
                return built
            with store.session() as con:
                count = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
                if count > self.max_events:
                    self._too_many = generation
                    self._built = None
                    return None
                table = con.sql(_EVENT_JSON_SQL).to_arrow_table().combine_chunks()
            rids = table.column("rid").to_numpy().astype(np.int64)
            at = np.full(int(rids.max()) + 1 if len(rids) else 0, -1, dtype=np.int64)
            at[rids] = np.arange(len(rids), dtype=np.int64)
            texts = table.column("json").chunk(0) if table.num_rows else pa.array([], pa.string())
            self._built = _Snapshot(generation, at, texts)
            return self._built
        finally:
            self._building.release()


def _texts(built: _Snapshot, rids: np.ndarray) -> list[str] | None:
    """The JSON texts of these row ids, or None if the snapshot lacks one."""
    if not len(rids):
        return []
    if int(rids.max()) >= len(built.at) or int(rids.min()) < 0:
        return None
    at = built.at[rids]
    if int(at.min()) < 0:
        return None
    return built.texts.take(pa.array(at)).to_pylist()
