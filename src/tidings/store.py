"""The DuckDB store: schema, migrations, Arrow bulk writes and the queries.

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

import base64
import datetime as dt
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from tidings.errors import StoreError, StoreLocked
from tidings.lockinfo import holder_of, lock_message
from tidings.model import (
    ARTICLE_SCHEMA,
    EVENT_SCHEMA,
    MENTION_SCHEMA,
    Article,
    Mention,
    articles_to_arrow,
    mentions_to_arrow,
)

__all__ = [
    "COUNT_CAP",
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "EventFilter",
    "EventPage",
    "Store",
    "WriteCounts",
    "check_cursor",
    "open_store",
]

#: file used when neither ``--db`` nor ``TIDINGS_DB`` says otherwise
DEFAULT_DB = "tidings.duckdb"

#: extra columns of ``documents`` beyond :data:`ARTICLE_SCHEMA`
DOCUMENT_EXTRA = pa.schema([("ingested_at", pa.timestamp("us")), ("coder_version", pa.string())])
DOCUMENT_SCHEMA = pa.schema(list(ARTICLE_SCHEMA) + list(DOCUMENT_EXTRA))

#: extra columns of ``events`` beyond :data:`EVENT_SCHEMA`: search keys, one per side,
#: ``"|country|code|id|name"`` lower-cased without diacritics. They are an index, not
#: event data (exports and dedup never see them): :meth:`Store.optimize` and every write
#: batch fill them, and filters fall back to the raw columns for rows still without.
EVENT_EXTRA = pa.schema([("source_key", pa.string()), ("target_key", pa.string())])
EVENT_TABLE_SCHEMA = pa.schema(list(EVENT_SCHEMA) + list(EVENT_EXTRA))

ERROR_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("origin", pa.string()),
        ("error", pa.string()),
        ("message", pa.string()),
        ("at", pa.timestamp("us")),
    ]
)

#: table name -> the Arrow schema it is created from (and kept in sync with)
TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENT_SCHEMA,
    "mentions": MENTION_SCHEMA,
    "events": EVENT_TABLE_SCHEMA,
    "ingest_errors": ERROR_SCHEMA,
}

_ARROW_TO_SQL = {
    pa.string(): "VARCHAR",
    pa.date32(): "DATE",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.timestamp("us"): "TIMESTAMP",
}


def _sql_type(t: pa.DataType) -> str:
    try:
        return _ARROW_TO_SQL[t]
    except KeyError:  # pragma: no cover - only when someone adds an exotic column type
        raise StoreError(f"no DuckDB type for Arrow type {t}") from None


def _create_sql(name: str, schema: pa.Schema) -> str:
    cols = ", ".join(f'"{f.name}" {_sql_type(f.type)}' for f in schema)
    return f"CREATE TABLE IF NOT EXISTS {name} ({cols})"


# --------------------------------------------------------------------------- migrations
# Each migration takes a connection inside a transaction and moves the file from
# version i to i+1 (its position in the list, counting from 1). Never edit a released
# migration: append a new one. Columns appended to the Arrow schemas in ``model.py``
# need no migration: ``_sync_columns`` adds them on open.


def _m1_base(con: duckdb.DuckDBPyConnection) -> None:
    """documents, mentions and events."""
    for name in ("documents", "mentions", "events"):
        con.execute(_create_sql(name, TABLES[name]))


def _m2_errors(con: duckdb.DuckDBPyConnection) -> None:
    """a log of the inputs that could not be ingested, per run."""
    con.execute(_create_sql("ingest_errors", ERROR_SCHEMA))


MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    _m1_base,
    _m2_errors,
]
# No ART indexes on purpose: they make every open of the file ~50 ms slower (and the
# store is opened per batch and per query), while DuckDB's zone maps and hash joins
# already make id lookups and the re-ingest join fast.
SCHEMA_VERSION = len(MIGRATIONS)


def _schema_version(con: duckdb.DuckDBPyConnection) -> int:
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchall()[0][0]
    if not has_meta:
        return 0
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _sync_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Add columns that were appended to a schema in ``model.py`` since the file was made."""
    for name, schema in TABLES.items():
        have = set(_table_columns(con, name))
        for f in schema:
            if f.name not in have:
                con.execute(f'ALTER TABLE {name} ADD COLUMN "{f.name}" {_sql_type(f.type)}')


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the file behind ``con`` to :data:`SCHEMA_VERSION`; return the old version."""
    old = _schema_version(con)
    if old > SCHEMA_VERSION:
        raise StoreError(
            f"this store has schema version {old}, newer than this tidings understands "
            f"({SCHEMA_VERSION}); upgrade tidings"
        )
    up_to_date = old == SCHEMA_VERSION and all(
        set(s.names) <= set(_table_columns(con, t)) for t, s in TABLES.items()
    )
    if up_to_date:
        return old
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR)")
        for migration in MIGRATIONS[old:]:
            migration(con)
        _sync_columns(con)
        con.execute("DELETE FROM meta WHERE key = 'schema_version'")
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return old


# --------------------------------------------------------------------------- filters


_E = "''"
#: how names, ids, codes and user text are compared: lower case, no diacritics
_FOLD = "lower(strip_accents({}))"
_FOLD_ARG = _FOLD.format("?")


def _side_key_sql(side: str) -> str:
    """SQL for one side's search key, ``|country|code|id|name``, folded.

    Dyads match a whole ``|token|`` (country, code or id; the name has no closing bar);
    actor search is a substring of the whole key. Bars inside names become spaces.
    """
    bar = "'|'"
    parts = [f"coalesce({side}_{c}, {_E})" for c in ("country", "code", "id")]
    parts.append(f"replace(coalesce({side}_name, {_E}), {bar}, ' ')")
    return _FOLD.format(f"{bar} || " + f" || {bar} || ".join(parts))


@dataclass(slots=True)
class EventFilter:
    """What to select from ``events`` (and ``mentions``); every field narrows.

    ``actor`` is a case-insensitive substring of either side's name, id or code;
    ``country`` an ISO3 code on either side; ``dyad`` two actors or countries in either
    direction; ``code`` a CAMEO prefix; ``root`` a CAMEO root (``"4"`` = ``"04"``);
    ``quad`` the quad class 1-4. Domestic events (both sides in one country) are left
    out unless ``include_domestic``, as in most international-relations work.
    """

    actor: str | None = None
    country: str | None = None
    dyad: tuple[str, str] | None = None
    code: str | None = None
    root: str | None = None
    quad: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    include_domestic: bool = False
    doc_id: str | None = None

    def where(
        self, alias: str = "", *, mentions_table: bool = False, keyed: bool | None = None
    ) -> tuple[str, list[Any]]:
        """SQL ``WHERE`` body and its bound parameters (values never go into the SQL).

        ``keyed`` says whether every event has its search keys (``True``: actor and dyad
        filters read only the keys), none may (``False``: only the raw columns), or some
        may not (``None``, the default: keys where present, raw columns elsewhere; this
        reads both, so the store asks which case holds before its own queries).
        """
        p = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list[Any] = []
        if mentions_table:  # only ``events`` has the search keys
            keyed = False
        if self.actor:
            needle = self.actor.strip()
            cols = [
                f"{p}{side}_{part}"
                for side in ("source", "target")
                for part in ("name", "id", "code")
            ]
            raw = " OR ".join(
                f"contains({_FOLD.format(f'coalesce({c}, {_E})')}, {_FOLD_ARG})" for c in cols
            )
            fast = f"contains({p}source_key, {_FOLD_ARG}) OR contains({p}target_key, {_FOLD_ARG})"
            if keyed is False or "|" in needle:
                clauses.append(f"({raw})")
                params += [needle] * len(cols)
            elif keyed:  # one low-cardinality column per side instead of six
                clauses.append(f"({fast})")
                params += [needle] * 2
            else:  # rows merged since the keys were last filled (key NULL) read the columns
                clauses.append(f"coalesce({fast}, {raw})")
                params += [needle] * (2 + len(cols))
        if self.country:
            clauses.append(f"({p}source_country = ? OR {p}target_country = ?)")
            params += [self.country.upper()] * 2
        if self.dyad:
            a, b = self.dyad

            def side(s: str, x: str) -> tuple[str, list[Any]]:
                raw = (
                    f"(upper(coalesce({p}{s}_country, {_E})) = ? OR upper({p}{s}_code) = ? "
                    f"OR lower({p}{s}_id) = ?)"
                )
                raw_params = [x.upper(), x.upper(), x.lower()]
                # "|usa|" matches a whole country, code or id token, never the name
                fast = f"contains({p}{s}_key, '|' || {_FOLD_ARG} || '|')"
                if keyed is False:
                    return raw, raw_params
                if keyed:
                    return fast, [x]
                return f"coalesce({fast}, {raw})", [x, *raw_params]

            parts = []
            for x, y in ((a, b), (b, a)):
                (sx, px), (ty, py) = side("source", x), side("target", y)
                parts.append(f"({sx} AND {ty})")
                params += px + py
            clauses.append("(" + " OR ".join(parts) + ")")
        if self.code:
            clauses.append(f"starts_with({p}cameo, ?)")
            params.append(self.code.strip())
        if self.root:
            root = self.root.strip()
            clauses.append(f"{p}root = ?")
            params.append(root.zfill(2) if root.isdigit() else root)
        if self.quad is not None:
            clauses.append(f"{p}quad_class = ?")
            params.append(int(self.quad))
        if self.since:
            clauses.append(f"{p}event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{p}event_date <= ?")
            params.append(self.until)
        if not self.include_domestic:
            clauses.append(f"NOT coalesce({p}domestic, false)")
        if self.doc_id:
            if mentions_table:
                clauses.append(f"{p}doc_id = ?")
            else:
                clauses.append(
                    f"({p}doc_id = ? OR {p}event_id IN "
                    "(SELECT event_id FROM mentions WHERE doc_id = ?))"
                )
                params.append(self.doc_id)
            params.append(self.doc_id)
        return (" AND ".join(clauses) or "TRUE"), params


#: columns ``Store.events`` may sort by (``order`` is checked against this list)
ORDER_COLUMNS = frozenset(
    {
        "event_date",
        "event_id",
        "first_reported",
        "goldstein",
        "num_mentions",
        "num_sources",
        "num_articles",
        "confidence",
        "cameo",
        "root",
        "quad_class",
        "source_country",
        "target_country",
    }
)
_ORDER_TERM = re.compile(r"^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$", re.IGNORECASE)


def _order_sql(order: str, alias: str = "") -> str:
    """Validate ``order`` ("col [ASC|DESC], ...") against the whitelist; raise otherwise."""
    terms = []
    for part in order.split(","):
        m = _ORDER_TERM.match(part)
        if not m or m.group(1).lower() not in ORDER_COLUMNS:
            allowed = ", ".join(sorted(ORDER_COLUMNS))
            raise StoreError(f"cannot order by {part.strip()!r}; use one of: {allowed}")
        direction = (m.group(2) or "ASC").upper()
        terms.append(f"{alias}{m.group(1).lower()} {direction}")
    terms.append(f"{alias}event_id ASC")  # ties broken the same way every time
    return ", ".join(terms)


#: ``Store.page_events`` counts matches exactly up to this many
COUNT_CAP = 10_000

#: (name, table, column): lookups by id that :meth:`Store.optimize` indexes
INDEXES = (
    ("events_event_id", "events", "event_id"),
    ("mentions_event_id", "mentions", "event_id"),
    ("mentions_mention_id", "mentions", "mention_id"),
    ("documents_doc_id", "documents", "doc_id"),
)

#: the event columns callers get (the search keys stay inside the store)
_EVENT_COLS = ", ".join(f'"{c}"' for c in EVENT_SCHEMA.names)
_EVENT_TYPES = {f.name: f.type for f in EVENT_SCHEMA}


@dataclass(slots=True)
class EventPage:
    """What :meth:`Store.page_events` returns."""

    rows: pa.Table
    #: matching events (``COUNT_CAP`` when there are more: see ``total_is_estimate``)
    total: int
    total_is_estimate: bool
    #: cursor for the page after this one (``None`` on the last page)
    next_after: str | None


def _order_keys(order: str) -> list[tuple[str, str]]:
    """``order`` as validated (column, ASC|DESC) pairs, repeated columns dropped."""
    keys: dict[str, str] = {}
    for term in _order_sql(order).split(", ")[:-1]:  # the last is the event_id tie-break
        col, direction = term.split()
        keys.setdefault(col, direction)
    return list(keys.items())


def _keys_sql(keys: list[tuple[str, str]], rid: str) -> str:
    return ", ".join(f"{c} {d} NULLS LAST" for c, d in keys) + f", {rid} ASC"


def _seek_sql(
    keys: list[tuple[str, str]], cursor: tuple[list[Any], int] | None, rid: str
) -> tuple[str, list[Any]]:
    """``WHERE`` body for the rows after ``cursor`` in the order of ``keys`` (nulls last).

    Spelled out key by key (a row tuple comparison would drop rows with NULL keys).
    """
    if cursor is None:
        return "TRUE", []
    values, last_rid = cursor
    ors: list[str] = []
    params: list[Any] = []
    eq: list[str] = []
    eq_params: list[Any] = []
    for (col, direction), value in zip(keys, values, strict=True):
        if value is not None:
            op = "<" if direction == "DESC" else ">"
            ors.append("(" + " AND ".join([*eq, f"({col} {op} ? OR {col} IS NULL)"]) + ")")
            params += [*eq_params, value]
            eq.append(f"{col} = ?")
            eq_params.append(value)
        else:  # nothing sorts after NULL in this key: only ties, decided by the next keys
            eq.append(f"{col} IS NULL")
    ors.append("(" + " AND ".join([*eq, f"{rid} > ?"]) + ")")
    params += [*eq_params, int(last_rid)]
    return "(" + " OR ".join(ors) + ")", params


def _seek_branches(
    keys: list[tuple[str, str]], cursor: tuple[list[Any], int]
) -> Iterator[tuple[str, list[Any]]]:
    """The rows after ``cursor`` as disjoint conjunctions, in sort order.

    Each is ANDs of ``=``, ``<``/``>`` and ``IS NULL`` that DuckDB applies inside the
    scan (an OR of them is evaluated row by row after it): first the ties on every key
    (row id after), then, from the last key to the first, the rows strictly after the
    cursor in that key (non-NULL, then NULL: nulls sort last).
    """
    values, last_rid = cursor
    eq: list[str] = []
    eq_params: list[Any] = []
    prefixes = []
    for (col, direction), value in zip(keys, values, strict=True):
        prefixes.append((list(eq), list(eq_params), col, direction, value))
        if value is None:
            eq.append(f"{col} IS NULL")
        else:
            eq.append(f"{col} = ?")
            eq_params.append(value)
    yield " AND ".join([*eq, "rowid > ?"]), [*eq_params, int(last_rid)]
    for prefix, prefix_params, col, direction, value in reversed(prefixes):
        if value is None:
            continue  # nothing sorts after NULL in this key
        op = "<" if direction == "DESC" else ">"
        yield " AND ".join([*prefix, f"{col} {op} ?"]), [*prefix_params, value]
        yield " AND ".join([*prefix, f"{col} IS NULL"]), list(prefix_params)


def _encode_cursor(keys: list[tuple[str, str]], values: list[Any], rid: int) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    body = json.dumps({"k": [f"{c} {d}" for c, d in keys], "v": plain, "r": rid})
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def _decode_cursor(token: str, keys: list[tuple[str, str]]) -> tuple[list[Any], int]:
    """The sort values and row id in an ``after`` cursor; ValueError if it is not ours."""
    try:
        body = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        made_for, values, rid = body["k"], body["v"], body["r"]
        if made_for == [f"{c} {d}" for c, d in keys]:
            if len(values) != len(keys) or not isinstance(rid, int) or isinstance(rid, bool):
                raise TypeError
            out = [
                _cursor_value(_EVENT_TYPES[c], v) for (c, _), v in zip(keys, values, strict=True)
            ]
    except (ValueError, KeyError, TypeError, IndexError):
        raise ValueError("not a cursor from this store (damaged or cut short)") from None
    if made_for != [f"{c} {d}" for c, d in keys]:
        raise ValueError("the cursor was made for another sort order")
    return out, rid


def check_cursor(after: str, order: str) -> None:
    """Raise ValueError (saying why) unless ``after`` is a cursor for ``order``."""
    _decode_cursor(after, _order_keys(order))


def _cursor_value(kind: pa.DataType, value: Any) -> Any:
    if value is None:
        return None
    if pa.types.is_date(kind):
        return dt.date.fromisoformat(value)
    if pa.types.is_integer(kind):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError
        return value
    if pa.types.is_floating(kind):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TypeError
        return float(value)
    if not isinstance(value, str):
        raise TypeError
    return value


@dataclass(slots=True)
class WriteCounts:
    """What one :meth:`Store.write_batch` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    mentions: int = 0
    #: ids of documents that were added or replaced (those whose events need merging)
    changed: list[str] = field(default_factory=list)


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


class Store:
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
                    return duckdb.connect(self.path, read_only=self.read_only)
                except duckdb.ConnectionException as exc:
                    # this process already has the file open for writing: share it
                    if self.read_only and "different configuration" in str(exc):
                        return duckdb.connect(self.path)
                    raise
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

    # -- writes ------------------------------------------------------------------

    def write_batch(
        self,
        articles: Sequence[Article],
        mentions_by_doc: dict[str, list[Mention]] | None = None,
        *,
        coder_version: str | None = None,
    ) -> WriteCounts:
        """Store a batch of articles and their mentions in one transaction.

        A new ``doc_id`` is inserted; the same ``doc_id`` with the same ``text_hash`` is
        left alone (re-ingesting is a no-op); the same ``doc_id`` with a new text (an
        updated page) replaces the document and drops its old mentions. If anything
        fails, nothing of the batch is kept. ``coder_version`` is recorded with the
        documents that were coded (``None`` marks them for ``tidings recode``).
        """
        self._check_writable()
        mentions_by_doc = mentions_by_doc or {}
        latest: dict[str, Article] = {}
        for a in articles:  # the last version of a doc_id within a batch wins
            latest[a.doc_id] = a
        counts = WriteCounts()
        if not latest:
            return counts
        incoming = articles_to_arrow(list(latest.values()))
        with self.transaction() as con:
            _fill_keys(con)  # events merged since the last batch (dedup writes them bare)
            con.register("_incoming", incoming)
            try:
                known = dict(
                    con.execute(
                        "SELECT d.doc_id, d.text_hash FROM documents d "
                        "JOIN _incoming i ON d.doc_id = i.doc_id"
                    ).fetchall()
                )
            finally:
                con.unregister("_incoming")
            new_ids = [d for d in latest if d not in known]
            updated_ids = [d for d, a in latest.items() if d in known and known[d] != a.text_hash]
            counts.added, counts.updated = len(new_ids), len(updated_ids)
            counts.unchanged = len(latest) - counts.added - counts.updated
            write_ids = new_ids + updated_ids
            counts.changed = write_ids
            if not write_ids:
                return counts
            if updated_ids:
                self._delete_docs(con, updated_ids)
            to_write = [latest[d] for d in write_ids]
            docs = articles_to_arrow(to_write)
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            docs = docs.append_column(
                pa.field("ingested_at", pa.timestamp("us")),
                pa.array([now] * len(to_write), pa.timestamp("us")),
            ).append_column(
                pa.field("coder_version", pa.string()),
                pa.array([coder_version] * len(to_write), pa.string()),
            )
            _insert(con, "documents", docs)
            mentions = [m for d in write_ids for m in mentions_by_doc.get(d, ())]
            if mentions:
                _insert(con, "mentions", mentions_to_arrow(mentions))
            counts.mentions = len(mentions)
        return counts

    @staticmethod
    def _delete_docs(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> None:
        ids = pa.table({"doc_id": pa.array(doc_ids, pa.string())})
        con.register("_ids", ids)
        try:
            con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM _ids)")
            con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM _ids)")
        finally:
            con.unregister("_ids")

    def replace_mentions(
        self,
        doc_ids: Sequence[str],
        mentions: Iterable[Mention],
        *,
        coder_version: str | None,
    ) -> int:
        """Swap the mentions of ``doc_ids`` for new ones (``tidings recode``), atomically."""
        self._check_writable()
        rows = list(mentions)
        if not doc_ids:
            return 0
        ids = pa.table({"doc_id": pa.array(list(doc_ids), pa.string())})
        with self.transaction() as con:
            con.register("_ids", ids)
            try:
                con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM _ids)")
                con.execute(
                    "UPDATE documents SET coder_version = ? "
                    "WHERE doc_id IN (SELECT doc_id FROM _ids)",
                    [coder_version],
                )
            finally:
                con.unregister("_ids")
            if rows:
                _insert(con, "mentions", mentions_to_arrow(rows))
        return len(rows)

    def record_errors(self, run_id: str, errors: Sequence[tuple[str, str, str]]) -> None:
        """Log ``(origin, error class, message)`` triples of one run in ``ingest_errors``."""
        self._check_writable()
        if not errors:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        table = pa.table(
            {
                "run_id": [run_id] * len(errors),
                "origin": [e[0] for e in errors],
                "error": [e[1] for e in errors],
                "message": [e[2] for e in errors],
                "at": [now] * len(errors),
            },
            schema=ERROR_SCHEMA,
        )
        with self.transaction() as con:
            _insert(con, "ingest_errors", table)

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
        limit: int | None = 100,
        offset: int = 0,
        order: str = "event_date DESC",
    ) -> pa.Table:
        """Merged events matching ``flt`` (columns of :data:`EVENT_SCHEMA`)."""
        with self.session() as con:
            where, params = (flt or EventFilter()).where(keyed=_keys_complete(con))
            sql = f"SELECT {_EVENT_COLS} FROM events WHERE {where} ORDER BY {_order_sql(order)}"
            sql, params = _page(sql, params, limit, offset)
            return _arrow_query(con, sql, params)

    def page_events(
        self,
        flt: EventFilter | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        order: str = "event_date DESC",
        after: str | None = None,
        count_cap: int = COUNT_CAP,
    ) -> EventPage:
        """One page of events for the API: rows, total and a cursor for the next page.

        Built for big stores: a single narrow scan finds the matching rows (row id and
        sort keys only, at most ``count_cap + 1`` of them), so a selective filter costs
        one pass and the total comes free; only the page's rows are read in full. When
        more than ``count_cap`` match, ``total`` is ``count_cap`` and
        ``total_is_estimate`` is set (an exact count of a broad filter is a second full
        pass that nobody paging through 50 rows needs). Ties are broken by row id,
        which is stable while the file is unchanged (and equals event_id order within
        a date after :meth:`optimize`). ``after`` is the ``next_after`` of the previous
        page: deep pages by cursor cost what the first page costs, unlike ``offset``.
        """
        flt = flt or EventFilter()
        keys = _order_keys(order)
        cursor = _decode_cursor(after, keys) if after else None
        sort_cols = ", ".join(c for c, _ in keys)
        with self.session() as con:
            where, params = flt.where(keyed=_keys_complete(con))
            probe = _arrow_query(
                con,
                f"SELECT rowid AS _rid, {sort_cols} FROM events WHERE {where} LIMIT ?",
                [*params, int(count_cap) + 1],
            )
            exact = probe.num_rows <= count_cap
            if exact:  # page inside the probe (a few thousand rows in memory at most)
                source, rid, base, base_params = "_probe", "_rid", "TRUE", []
                con.register("_probe", probe)
            else:
                source, rid, base, base_params = "events", "rowid", where, params
            try:
                # one row more than asked: is there a next page?
                if exact or cursor is None:
                    seek, seek_params = _seek_sql(keys, cursor, rid)
                    sql, page_params = _page(
                        f"SELECT {rid} AS _rid FROM {source} WHERE ({base}) AND {seek} "
                        f"ORDER BY {_keys_sql(keys, rid)}",
                        [*base_params, *seek_params],
                        int(limit) + 1,
                        offset,
                    )
                    rids = [r[0] for r in con.execute(sql, page_params).fetchall()]
                else:  # the cursor's OR as plain conjunctions DuckDB filters while scanning
                    rids = []
                    want = int(offset) + int(limit) + 1
                    for seek, seek_params in _seek_branches(keys, cursor):
                        rows = con.execute(
                            f"SELECT rowid FROM events WHERE ({where}) AND {seek} "
                            f"ORDER BY {_keys_sql(keys, 'rowid')} LIMIT ?",
                            [*params, *seek_params, want - len(rids)],
                        ).fetchall()
                        rids += [r[0] for r in rows]
                        if len(rids) >= want:
                            break
                    rids = rids[int(offset) :]
            finally:
                if exact:
                    con.unregister("_probe")
            more = len(rids) > limit
            rids = rids[:limit]
            rows = self._fetch_rows(con, rids)
        total = probe.num_rows if exact else int(count_cap)
        next_after = None
        if more and rows.num_rows:
            last = rows.slice(rows.num_rows - 1).to_pylist()[0]
            next_after = _encode_cursor(keys, [last[c] for c, _ in keys], rids[-1])
        return EventPage(
            rows=rows.drop_columns(["_rid"]),
            total=total,
            total_is_estimate=not exact,
            next_after=next_after,
        )

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
        cols = ", ".join(f'"{c}"' for c in EVENT_SCHEMA.names)
        with self.transaction() as con:
            con.execute(
                f"CREATE OR REPLACE TABLE _events_sorted AS SELECT {cols}, {keys} FROM events "
                "ORDER BY event_date DESC NULLS LAST, event_id"
            )
            con.execute("DROP TABLE events")
            con.execute("ALTER TABLE _events_sorted RENAME TO events")
            for name, table, column in INDEXES:
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
        self, flt: EventFilter | None = None, limit: int | None = 100, offset: int = 0
    ) -> pa.Table:
        """Mentions matching ``flt``, each with its ``event_id`` and ``doc`` (display name)."""
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


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Bulk insert through Arrow, naming columns so table column order does not matter."""
    name = f"_arrow_{table}"
    con.register(name, data)
    try:
        cols = ", ".join(f'"{c}"' for c in data.column_names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        con.unregister(name)


def _keys_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every event has its search keys (answered from column statistics)."""
    return not con.execute(
        "SELECT EXISTS (SELECT 1 FROM events WHERE source_key IS NULL)"
    ).fetchall()[0][0]


def _fill_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Compute the search keys of events that have none yet (cheap when all have them:
    DuckDB skips the column segments whose statistics say they hold no NULL)."""
    con.execute(
        f"UPDATE events SET source_key = {_side_key_sql('source')}, "
        f"target_key = {_side_key_sql('target')} WHERE source_key IS NULL"
    ).fetchall()


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
