"""The DuckDB store: connections, the queries, and the one entry point ``open_store``.

The other concerns live beside it: the tables and migrations in :mod:`tidings.schema`,
filters, ordering and paging cursors in :mod:`tidings.filters`, and the write path (a
batch's documents, mentions and merged events in one transaction) in
:mod:`tidings.writes`. Their public names are importable from here as before.

One file holds everything tidings knows: ``documents`` (the normalised articles),
``mentions`` (what the coder found, with evidence), ``events`` (mentions merged by
:mod:`tidings.dedup`), ``ingest_errors`` and ``meta`` (the schema version).

Concurrency. DuckDB lets one process write a file at a time and keeps readers out
while it does. So a :class:`Store` does not hold a connection: every call opens one,
does its work (a write batch is one transaction) and closes it. A long ingest thus
leaves gaps between batches in which a reader (``tidings events``, the REST API) can
get in; both sides retry for a while on the lock and then raise :class:`StoreLocked`
with a message a person can act on, never a traceback or a half-written file.
Use :meth:`Store.session` to keep one connection across several calls, and
:attr:`Store.connection` for ad-hoc SQL (it holds the file until :meth:`Store.close`).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tidings import dedup
from tidings.errors import StoreError, StoreLocked
from tidings.filters import (
    _EVENT_COLS,
    COUNT_CAP,
    ORDER_COLUMNS,
    EventFilter,
    EventPage,
    RowPage,
    _decode_cursor,
    _encode_cursor,
    _keys_sql,
    _order_keys,
    _order_sql,
    _seek_branches,
    _seek_sql,
    _side_key_sql,
    check_cursor,
)
from tidings.lockinfo import holder_of, lock_message
from tidings.model import ARTICLE_SCHEMA, EVENT_SCHEMA, Article
from tidings.schema import (
    DOCUMENT_SCHEMA,
    EVENT_TABLE_SCHEMA,
    INDEX_SCAN_ROWS,
    INDEXES,
    MENTION_TABLE_SCHEMA,
    MIGRATIONS,
    PARTITION_INDEXES,
    SCHEMA_VERSION,
    TABLES,
    _schema_version,
    migrate,
)
from tidings.writes import StoreWrites, WriteCounts, _fill_keys
from tidings.writes import _insert as _insert  # tests write rows directly with it

__all__ = [
    "COUNT_CAP",
    "DEFAULT_DB",
    "DOCUMENT_SCHEMA",
    "EVENT_TABLE_SCHEMA",
    "INDEXES",
    "MENTION_TABLE_SCHEMA",
    "MIGRATIONS",
    "ORDER_COLUMNS",
    "PARTITION_INDEXES",
    "SCHEMA_VERSION",
    "TABLES",
    "EventFilter",
    "EventPage",
    "RowPage",
    "Store",
    "WriteCounts",
    "check_cursor",
    "default_path",
    "migrate",
    "new_run_id",
    "open_store",
]

#: file used when neither ``--db`` nor ``TIDINGS_DB`` says otherwise
DEFAULT_DB = "tidings.duckdb"


def _arrow_query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> pa.Table:
    """Run ``sql`` and return an Arrow table, across DuckDB 1.x / 2.x method names."""
    rel = con.sql(sql, params=list(params))
    if rel is None:  # pragma: no cover - only for statements that return nothing
        return pa.table({})
    if hasattr(rel, "to_arrow_table"):
        return rel.to_arrow_table()
    return rel.arrow()  # pragma: no cover - DuckDB < 1.4


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


# --------------------------------------------------------------------------- the store


class Store(StoreWrites):
    """A tidings store: one DuckDB file (or ``":memory:"``).

    Build it with :func:`open_store`. Every method opens a connection for its own work
    and closes it, so several processes can take turns; see the module docstring.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        lock_timeout: float | None = None,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        #: seconds to keep retrying when another process holds the file
        self.lock_timeout = lock_timeout if lock_timeout is not None else _default_timeout()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._depth = 0
        if self.path == ":memory:":
            if read_only:
                raise StoreError("an in-memory store cannot be read-only")
            self._con = duckdb.connect(":memory:")
            self._depth = 1  # never closed by a session

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<Store {self.path} ({mode})>"

    # -- connections -------------------------------------------------------------

    def _open(self) -> duckdb.DuckDBPyConnection:
        started = time.monotonic()
        deadline = started + self.lock_timeout
        delay = 0.02
        while True:
            try:
                try:
                    con = duckdb.connect(self.path, read_only=self.read_only)
                except duckdb.ConnectionException as exc:
                    # this process already has the file open for writing: share it
                    if self.read_only and "different configuration" in str(exc):
                        return duckdb.connect(self.path)
                    raise
                # look a merge partition up by its index even when it holds thousands
                # of mentions (DuckDB's default switches to a full scan above 2,048 rows)
                con.execute(f"SET index_scan_max_count = {INDEX_SCAN_ROWS}")
                return con
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
                holder = holder_of(str(exc))
                # a server holds the file until it is stopped: waiting cannot help
                if holder.is_server or time.monotonic() >= deadline:
                    waited = time.monotonic() - started
                    raise StoreLocked(
                        lock_message(
                            self.path, holder, want_write=not self.read_only, waited=waited
                        )
                    ) from None
                time.sleep(delay)
                delay = min(delay * 1.5, 0.25)
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: cannot open the store: {exc}") from None

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Keep one connection open for the block (every call inside reuses it)."""
        if self._con is None:
            self._con = self._open()
        self._depth += 1
        try:
            yield self._con
        finally:
            self._depth -= 1
            if self._depth == 0 and self._con is not None:
                self._con.close()
                self._con = None

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside ``BEGIN ... COMMIT``; any exception rolls everything back."""
        self._check_writable()
        with self.session() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """A connection for ad-hoc SQL; it holds the file until :meth:`close`."""
        if self._con is None:
            self._con = self._open()
            self._depth += 1
        elif self._depth == 0:  # pragma: no cover - defensive
            self._depth = 1
        return self._con

    def close(self) -> None:
        """Release the file (only needed after :attr:`connection`)."""
        if self._con is not None and self.path != ":memory:":
            self._con.close()
            self._con = None
            self._depth = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        with self.session() as con:
            return _arrow_query(con, sql, params)

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.session() as con:
            # fetchall: a half-read result blocks the next con.sql() on this connection
            rows = con.execute(sql, list(params)).fetchall()
            return rows[0][0] if rows else None

    # -- reads used by recode ----------------------------------------------------

    def doc_ids_to_recode(
        self, coder_version: str | None, *, everything: bool = False
    ) -> list[str]:
        """Ids of documents coded by another coder version (or never), or all of them."""
        if everything or coder_version is None:
            t = self._query("SELECT doc_id FROM documents ORDER BY doc_id")
        else:
            t = self._query(
                "SELECT doc_id FROM documents WHERE coder_version IS DISTINCT FROM ? "
                "ORDER BY doc_id",
                [coder_version],
            )
        return t.column("doc_id").to_pylist()

    def articles(self, doc_ids: Sequence[str]) -> list[Article]:
        """The stored articles for ``doc_ids`` (in the order given, missing ones skipped)."""
        if not doc_ids:
            return []
        ids = pa.table({"doc_id": pa.array(list(doc_ids), pa.string())})
        cols = ", ".join(f"d.{c}" for c in ARTICLE_SCHEMA.names)
        with self.session() as con:
            con.register("_ids", ids)
            try:
                rows = _arrow_query(
                    con, f"SELECT {cols} FROM documents d JOIN _ids USING (doc_id)", []
                ).to_pylist()
            finally:
                con.unregister("_ids")
        by_id = {r["doc_id"]: Article(**r) for r in rows}
        return [by_id[d] for d in doc_ids if d in by_id]

    # -- queries -----------------------------------------------------------------

    def events(
        self,
        flt: EventFilter | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: str = "event_date DESC",
    ) -> pa.Table:
        """Every merged event matching ``flt`` (columns of :data:`EVENT_SCHEMA`), or the
        ``limit`` rows after ``offset``. Nothing is cut unless asked: for stores too large
        for memory, :meth:`iter_events` yields the same rows in batches."""
        with self.session() as con:
            where, params = (flt or EventFilter()).where(keyed=_keys_complete(con))
            sql = f"SELECT {_EVENT_COLS} FROM events WHERE {where} ORDER BY {_order_sql(order)}"
            sql, params = _page(sql, params, limit, offset)
            return _arrow_query(con, sql, params)

    def iter_events(
        self,
        flt: EventFilter | None = None,
        *,
        batch_size: int = 10_000,
        order: str = "event_date DESC",
    ) -> Iterator[pa.RecordBatch]:
        """Every event matching ``flt`` as Arrow record batches of at most ``batch_size``
        rows, streamed from DuckDB (memory stays bounded whatever the store's size)."""
        with self.session() as con:
            where, params = (flt or EventFilter()).where(keyed=_keys_complete(con))
            sql = f"SELECT {_EVENT_COLS} FROM events WHERE {where} ORDER BY {_order_sql(order)}"
            rel = con.sql(sql, params=list(params))
            if hasattr(rel, "to_arrow_reader"):
                yield from rel.to_arrow_reader(batch_size)
            else:  # pragma: no cover - DuckDB < 1.4
                yield from rel.fetch_arrow_reader(batch_size)

    def page_events(self, flt: EventFilter | None = None, **paging: Any) -> EventPage:
        """One page of events for the API: rows, total and a cursor for the next page.

        :meth:`page_rowids` finds the page (narrow queries: row ids and sort keys), then
        only the page's rows are read in full. ``paging`` are its keywords (``limit``,
        ``offset``, ``order``, ``after``, ``count_cap``); see it for the count (exact up
        to ``count_cap``), the order of ties and ``after`` cursors.
        """
        with self.session():
            found = self.page_rowids(flt, **paging)
            rows = self.rows_by_rowid(found.rids)
        return EventPage(
            rows=rows,
            total=found.total,
            total_is_estimate=found.total_is_estimate,
            next_after=found.next_after,
        )

    def page_rowids(
        self,
        flt: EventFilter | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        order: str = "event_date DESC",
        after: str | None = None,
        count_cap: int = COUNT_CAP,
        keyed: bool | None = None,
        counted: int | None = None,
    ) -> RowPage:
        """Which events make one page (their row ids), how many match, what comes next.

        Two narrow queries, neither reading a wide column: a bounded count (it stops at
        ``count_cap + 1`` matches, so a broad filter costs a short scan; past that
        ``total`` is ``count_cap`` and ``total_is_estimate`` is set: nobody paging through
        50 rows needs an exact count of a million), and the page's row ids in order
        (DuckDB's top-N over the filter and sort columns). Ties are broken by row id,
        stable while the file is unchanged (and event_id order within a date after
        :meth:`optimize`). ``after`` is the ``next_after`` of the previous page: deep
        pages by cursor cost what the first page costs, unlike ``offset``.

        A caller that remembers facts between calls passes them in: ``keyed``
        (:func:`keys_complete`) and ``counted`` (an earlier :meth:`count_bounded` of
        the same filter, on the same data).
        """
        flt = flt or EventFilter()
        keys = _order_keys(order)
        cursor = _decode_cursor(after, keys) if after else None
        with self.session() as con:
            if keyed is None:
                keyed = _keys_complete(con)
            where, params = flt.where(keyed=keyed)
            if counted is None:
                counted = self.count_bounded(where, params, count_cap)
            # no string column but the sort keys: a top-N carrying event_id costs 3x
            picked = ", ".join(["rowid", *(c for c, _ in keys)])
            want = int(offset) + int(limit) + 1  # one row more than asked: a next page?
            if cursor is None or counted <= count_cap:
                seek, seek_params = _seek_sql(keys, cursor, "rowid")
                sql, page_params = _page(
                    f"SELECT {picked} FROM events WHERE ({where}) AND {seek} "
                    f"ORDER BY {_keys_sql(keys, 'rowid')}",
                    [*params, *seek_params],
                    int(limit) + 1,
                    offset,
                )
                rows = con.execute(sql, page_params).fetchall()
            else:  # the cursor's OR as plain conjunctions DuckDB filters while scanning
                rows = []
                for seek, seek_params in _seek_branches(keys, cursor):
                    rows += con.execute(
                        f"SELECT {picked} FROM events WHERE ({where}) AND {seek} "
                        f"ORDER BY {_keys_sql(keys, 'rowid')} LIMIT ?",
                        [*params, *seek_params, want - len(rows)],
                    ).fetchall()
                    if len(rows) >= want:
                        break
                rows = rows[int(offset) :]
        more = len(rows) > limit
        rows = rows[:limit]
        next_after = None
        if more and rows:
            last = rows[-1]
            next_after = _encode_cursor(keys, list(last[1:]), last[0])
        return RowPage(
            rids=[r[0] for r in rows],
            total=min(counted, int(count_cap)),
            total_is_estimate=counted > count_cap,
            counted=counted,
            next_after=next_after,
        )

    def cursor_after(self, rid: int, order: str = "event_date DESC") -> str:
        """The ``after`` cursor of a page whose last row has row id ``rid``."""
        keys = _order_keys(order)
        cols = ", ".join(c for c, _ in keys)
        with self.session() as con:
            values = con.execute(f"SELECT {cols} FROM events WHERE rowid = ?", [rid]).fetchall()
        return _encode_cursor(keys, list(values[0]), rid)

    def count_bounded(self, where: str, params: Sequence[Any], cap: int = COUNT_CAP) -> int:
        """How many events match ``where``, counting no further than ``cap + 1``."""
        return int(
            self._scalar(
                f"SELECT count(*) FROM (SELECT 1 FROM events WHERE {where} LIMIT ?)",
                [*params, int(cap) + 1],
            )
        )

    def keys_complete(self) -> bool:
        """Whether every event has its search keys (filters then read only the keys)."""
        with self.session() as con:
            return _keys_complete(con)

    def rows_by_rowid(self, rids: Sequence[int]) -> pa.Table:
        """Full event rows (columns of :data:`EVENT_SCHEMA`) for these row ids, in order."""
        with self.session() as con:
            return self._fetch_rows(con, list(rids)).drop_columns(["_rid"])

    @staticmethod
    def _fetch_rows(con: duckdb.DuckDBPyConnection, rids: list[int]) -> pa.Table:
        """Full event rows for these row ids, in the order given."""
        if not rids:
            return _arrow_query(
                con, f"SELECT rowid AS _rid, {_EVENT_COLS} FROM events WHERE FALSE", []
            )
        got = _arrow_query(
            con,
            f"SELECT rowid AS _rid, {_EVENT_COLS} FROM events "
            # the BETWEEN lets DuckDB skip row groups (a page's rows lie close together
            # after optimize()): 6x faster than the IN list alone on 100k events
            "WHERE rowid BETWEEN ? AND ? AND rowid IN (SELECT unnest(?::BIGINT[]))",
            [min(rids), max(rids), rids],
        )
        where = {r: i for i, r in enumerate(got.column("_rid").to_pylist())}
        return got.take([where[r] for r in rids if r in where])

    def refresh_keys(self) -> None:
        """Fill the search keys of events written without them (dedup writes events bare),
        so that the same events always read back the same, however they were merged."""
        if self.read_only:
            return
        with self.transaction() as con:
            _fill_keys(con)

    def optimize(self) -> None:
        """Make a big store fast to query: events in date order, search keys, indexes.

        Rewrites ``events`` sorted by date (newest first), so date ranges and the
        newest-first page read a few row groups (DuckDB skips the rest by their
        min/max), fills the search keys, and adds indexes for the lookups by id
        (event detail, its mentions, evidence highlights). Takes seconds per million
        events; run it after a large ingest. Safe to run any time; queries give the
        same answers before and after.
        """
        self._check_writable()
        keys = ", ".join(f"{_side_key_sql(s)} AS {s}_key" for s in ("source", "target"))
        cols = ", ".join(f'"{c}"' for c in [*EVENT_SCHEMA.names, "merge_key"])
        with self.transaction() as con:
            con.execute(
                f"CREATE OR REPLACE TABLE _events_sorted AS SELECT {cols}, {keys} FROM events "
                "ORDER BY event_date DESC NULLS LAST, event_id"
            )
            con.execute("DROP TABLE events")
            con.execute("ALTER TABLE _events_sorted RENAME TO events")
            for name, table, column in (*INDEXES, *PARTITION_INDEXES):
                con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
        with self.session() as con:
            con.execute("CHECKPOINT")

    def count_events(self, flt: EventFilter | None = None) -> int:
        """How many events match ``flt`` (for paging)."""
        with self.session() as con:
            where, params = (flt or EventFilter()).where(keyed=_keys_complete(con))
            return int(self._scalar(f"SELECT count(*) FROM events WHERE {where}", params))

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its mentions (each with its document's name, title, url)."""
        with self.session():
            rows = self._query(
                f"SELECT {_EVENT_COLS} FROM events WHERE event_id = ?", [event_id]
            ).to_pylist()
            if not rows:
                return None
            event = rows[0]
            event["mentions"] = self._query(
                "SELECT m.*, d.name AS doc_name, d.title AS doc_title, d.url AS doc_url "
                "FROM mentions m LEFT JOIN documents d ON d.doc_id = m.doc_id "
                "WHERE m.event_id = ? ORDER BY m.published NULLS LAST, m.mention_id",
                [event_id],
            ).to_pylist()
        return event

    def mentions(
        self, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> pa.Table:
        """Every mention matching ``flt`` (or ``limit`` of them after ``offset``), each with
        its ``event_id`` and ``doc`` (display name)."""
        where, params = (flt or EventFilter()).where("m", mentions_table=True)
        sql = (
            "SELECT m.*, coalesce(d.name, m.doc_id) AS doc FROM mentions m "
            f"LEFT JOIN documents d ON d.doc_id = m.doc_id WHERE {where} "
            "ORDER BY m.event_date DESC, m.doc_id, m.sentence_index, m.mention_id"
        )
        sql, params = _page(sql, params, limit, offset)
        return self._query(sql, params)

    def count_mentions(self, flt: EventFilter | None = None) -> int:
        """How many mentions match ``flt``."""
        where, params = (flt or EventFilter()).where("m", mentions_table=True)
        return int(self._scalar(f"SELECT count(*) FROM mentions m WHERE {where}", params))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """One stored document with its text and its mentions."""
        with self.session():
            rows = self._query("SELECT * FROM documents WHERE doc_id = ?", [doc_id]).to_pylist()
            if not rows:
                return None
            doc = rows[0]
            doc["mentions"] = self._query(
                "SELECT * FROM mentions WHERE doc_id = ? ORDER BY sentence_index, mention_id",
                [doc_id],
            ).to_pylist()
        return doc

    def documents(self, limit: int | None = 100, offset: int = 0) -> pa.Table:
        """Stored documents without their text (``chars`` is its length), newest first."""
        sql = (
            "SELECT d.doc_id, d.name, d.title, d.url, d.outlet, d.published, d.origin, "
            "length(d.text) AS chars, d.ingested_at, d.coder_version, "
            "(SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id) AS mentions "
            "FROM documents d ORDER BY d.published DESC NULLS LAST, d.doc_id"
        )
        sql, params = _page(sql, [], limit, offset)
        return self._query(sql, params)

    def count_documents(self) -> int:
        """How many documents are stored."""
        return int(self._scalar("SELECT count(*) FROM documents"))

    def stats(self) -> dict[str, Any]:
        """Counts and ranges: what is in the store, at a glance."""
        with self.session() as con:

            def one(sql: str) -> Any:
                # fetchall: a half-read result blocks a later con.sql() on this connection
                return con.execute(sql).fetchall()[0]

            first, last = one("SELECT min(event_date), max(event_date) FROM events")
            pfirst, plast = one("SELECT min(published), max(published) FROM documents")
            return {
                "path": self.path,
                "schema_version": _schema_version(con),
                "documents": one("SELECT count(*) FROM documents")[0],
                "mentions": one("SELECT count(*) FROM mentions")[0],
                "events": one("SELECT count(*) FROM events")[0],
                "first_event": first,
                "last_event": last,
                "first_published": pfirst,
                "last_published": plast,
                "by_root": dict(
                    con.execute(
                        "SELECT root, count(*) FROM events GROUP BY root ORDER BY root"
                    ).fetchall()
                ),
                "by_quad": dict(
                    con.execute(
                        "SELECT quad_class, count(*) FROM events GROUP BY quad_class "
                        "ORDER BY quad_class"
                    ).fetchall()
                ),
                "coder_versions": dict(
                    con.execute(
                        "SELECT coalesce(coder_version, 'not coded'), count(*) FROM documents "
                        "GROUP BY 1 ORDER BY 1"
                    ).fetchall()
                ),
                "ingest_errors": one("SELECT count(*) FROM ingest_errors")[0],
            }

    # -- lookups for the REST API (tidings.api) ------------------------------------

    def mentions_by_id(self, mention_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The mentions with these ids (any order; missing ones skipped).

        The API uses it to highlight the coded words of each listed event's evidence.
        """
        if not mention_ids:
            return []
        ids = list(dict.fromkeys(mention_ids))[:1000]
        marks = ", ".join("?" * len(ids))
        # a plain IN list: the index on mention_id (see optimize) answers it directly
        return self._query(f"SELECT * FROM mentions WHERE mention_id IN ({marks})", ids).to_pylist()

    def actor_names(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Actors named in events whose name, id or code contains ``query``, most frequent first.

        One row per (name, id, code, country) with ``events``: how many events name it.
        """
        needle = query.strip().lower()
        sql = (
            "WITH sides AS ("
            " SELECT source_name AS name, source_id AS id, source_code AS code,"
            " source_country AS country FROM events"
            " UNION ALL SELECT target_name, target_id, target_code, target_country FROM events)"
            " SELECT name, id, code, country, count(*) AS events FROM sides"
            " WHERE contains(lower(coalesce(name, '')), ?)"
            " OR contains(lower(coalesce(id, '')), ?) OR contains(lower(coalesce(code, '')), ?)"
            " GROUP BY ALL ORDER BY events DESC, name LIMIT ?"
        )
        return self._query(sql, [needle, needle, needle, int(limit)]).to_pylist()

    def country_counts(self) -> dict[str, int]:
        """ISO3 code -> number of events with that country on either side."""
        rows = self._query(
            "SELECT country, count(*) AS n FROM ("
            " SELECT source_country AS country FROM events"
            " UNION ALL SELECT target_country FROM events WHERE target_country IS DISTINCT"
            " FROM source_country) WHERE country IS NOT NULL AND country <> ''"
            " GROUP BY country ORDER BY n DESC, country"
        ).to_pylist()
        return {r["country"]: int(r["n"]) for r in rows}


def _page(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    if limit is not None and limit > 0:
        sql += " LIMIT ?"
        params = [*params, int(limit)]
    if offset:
        sql += " OFFSET ?"
        params = [*params, int(offset)]
    return sql, params


def _keys_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every event has its search keys (answered from column statistics)."""
    return not con.execute(
        "SELECT EXISTS (SELECT 1 FROM events WHERE source_key IS NULL)"
    ).fetchall()[0][0]


def _default_timeout() -> float:
    try:
        return float(os.environ.get("TIDINGS_LOCK_TIMEOUT", "10"))
    except ValueError:
        return 10.0


def default_path() -> str:
    """``TIDINGS_DB`` if set, else ``./tidings.duckdb``."""
    return os.environ.get("TIDINGS_DB") or DEFAULT_DB


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    lock_timeout: float | None = None,
) -> Store:
    """Open (creating and migrating as needed) the store at ``path``.

    ``path`` defaults to ``TIDINGS_DB`` or ``./tidings.duckdb``. A read-only store must
    exist already; it is migrated first if it was written by an older tidings.
    """
    target = str(path) if path is not None else default_path()
    if target != ":memory:":
        p = Path(target)
        if p.is_dir():
            raise StoreError(f"{target} is a directory, not a store file")
        if read_only and not p.exists():
            raise StoreError(f"{target}: no store here yet; create one with `tidings ingest`")
        if not read_only and not p.parent.exists():
            raise StoreError(f"{target}: the folder {p.parent} does not exist")
    store = Store(target, read_only=read_only, lock_timeout=lock_timeout)
    if not read_only:
        with store.session() as con:
            migrate(con)
            _fill_keys(con)
            if dedup.pending_keys(con):
                store.repair()
        return store
    with store.session() as con:
        version = _schema_version(con)
    if version == 0:
        raise StoreError(f"{target} is a DuckDB file but not a tidings store")
    if version != SCHEMA_VERSION:  # written by an older tidings: upgrade it once
        with Store(target, lock_timeout=lock_timeout).session() as con:
            migrate(con)
    return store


def new_run_id() -> str:
    """An id for one ingest run (groups its rows in ``ingest_errors``)."""
    return uuid.uuid4().hex[:12]
