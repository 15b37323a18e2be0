"""The store's tables and how a file moves from one layout to the next.

The Arrow schemas in :mod:`tidings.model` are the one definition of the columns;
``TABLES`` adds the columns only the store has (ingest time, search keys, merge keys).
A file records its layout in ``meta.schema_version``; :func:`migrate` brings it to
:data:`SCHEMA_VERSION`, one migration at a time, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from tidings import dedup
from tidings.errors import StoreError
from tidings.model import ARTICLE_SCHEMA, EVENT_SCHEMA, MENTION_SCHEMA

__all__ = [
    "INDEXES",
    "MIGRATIONS",
    "PARTITION_INDEXES",
    "SCHEMA_VERSION",
    "TABLES",
    "migrate",
]

#: extra columns of ``documents`` beyond :data:`ARTICLE_SCHEMA`
DOCUMENT_EXTRA = pa.schema([("ingested_at", pa.timestamp("us")), ("coder_version", pa.string())])
DOCUMENT_SCHEMA = pa.schema(list(ARTICLE_SCHEMA) + list(DOCUMENT_EXTRA))

#: extra columns of ``events`` beyond :data:`EVENT_SCHEMA`: search keys, one per side,
#: ``"|country|code|id|name"`` lower-cased without diacritics. They are an index, not
#: event data (exports and dedup never see them): :meth:`Store.optimize` and every write
#: batch fill them, and filters fall back to the raw columns for rows still without.
EVENT_EXTRA = pa.schema(
    [("source_key", pa.string()), ("target_key", pa.string()), ("merge_key", pa.string())]
)
EVENT_TABLE_SCHEMA = pa.schema(list(EVENT_SCHEMA) + list(EVENT_EXTRA))

#: extra column of ``mentions``: the merge partition (:func:`tidings.dedup.partition_key`),
#: indexed, so a batch's merge reads only the partitions its mentions fall in. Events
#: carry the same key (in ``EVENT_EXTRA``) so a partition's old events are found alike.
MENTION_EXTRA = pa.schema([("merge_key", pa.string())])
MENTION_TABLE_SCHEMA = pa.schema(list(MENTION_SCHEMA) + list(MENTION_EXTRA))

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
    "mentions": MENTION_TABLE_SCHEMA,
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


def _m3_partitions(con: duckdb.DuckDBPyConnection) -> None:
    """merge partitions: ``merge_key`` on mentions and events, indexed, and events
    re-merged once by partition (older files merged across partitions and could join
    mentions of opposite directions)."""
    # rebuilt rather than updated: DuckDB cannot index a table with outstanding updates
    have = set(_table_columns(con, "mentions"))
    keep = ", ".join(f'"{c}"' for c in _table_columns(con, "mentions") if c != "merge_key")
    con.execute(
        f"CREATE TABLE _mentions_keyed AS SELECT {keep}, "
        f"{dedup.partition_key_sql()} AS merge_key FROM mentions"
    )
    con.execute("DROP TABLE mentions")
    con.execute("ALTER TABLE _mentions_keyed RENAME TO mentions")
    if "merge_key" not in set(_table_columns(con, "events")):
        con.execute('ALTER TABLE events ADD COLUMN "merge_key" VARCHAR')
    _partition_indexes(con)
    if "event_id" in have and con.execute("SELECT count(*) FROM mentions").fetchall()[0][0]:
        dedup.remerge_all(con)


def _partition_indexes(con: duckdb.DuckDBPyConnection) -> None:
    for name, table, column in PARTITION_INDEXES:
        con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")


MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    _m1_base,
    _m2_errors,
    _m3_partitions,
]
SCHEMA_VERSION = len(MIGRATIONS)

#: rows a lookup may match and still go through an index (a dense partition's size)
INDEX_SCAN_ROWS = 100_000

#: (name, table, column): the only indexes every store has. A batch's merge looks its
#: partitions up by key (O(batch), not O(store)); other lookups by id need none until
#: :meth:`Store.optimize` (each index makes every open of the file slower).
PARTITION_INDEXES = (
    ("mentions_merge_key", "mentions", "merge_key"),
    ("events_merge_key", "events", "merge_key"),
)


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


#: (name, table, column): lookups by id that :meth:`Store.optimize` indexes
INDEXES = (
    ("events_event_id", "events", "event_id"),
    ("mentions_event_id", "mentions", "event_id"),
    ("mentions_mention_id", "mentions", "mention_id"),
    ("documents_doc_id", "documents", "doc_id"),
)
