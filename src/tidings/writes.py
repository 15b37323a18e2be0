"""The store's write path: a batch's documents, mentions and merged events, atomically.

:class:`StoreWrites` holds the :class:`~tidings.store.Store` methods that write. Every
write that changes mentions re-merges the merge partitions it touched
(:func:`tidings.dedup.merge_keys_in`) in the same transaction, so no crash leaves
mentions without their events.

Memory per batch
----------------
A checkpoint moves committed rows from the write-ahead log into the file. DuckDB's
checkpoint also *vacuums*: it merges small neighbouring row groups (each batch writes
its rows as new small ones) and those holding deleted rows into full row groups of
122,880 rows, up to three at a time, reading and re-compressing every row it merges.
On a store of a few row groups that made one batch in a few dozen need 60-150 MiB more
than the others (``bench/merge.py``: the writer's highest batch peak grew from 205 MiB
at 10k documents to 335 MiB at 200k; the ART indexes, ``threads`` and the merge itself
made no difference). The vacuum's new row groups live in DuckDB's buffer pool, whose
default limit is most of the machine's memory, so nothing held it back.

So a write commits with automatic checkpoints off and then checkpoints itself
(:func:`_checkpoint`) under a small buffer-pool limit (:data:`CHECKPOINT_MEMORY`, one
thread): the vacuum spills what does not fit to DuckDB's temporary files instead of
growing the process. The batch's own work keeps DuckDB's defaults, so no input can fail
for want of memory. A checkpoint that runs out all the same invalidates DuckDB's
connection; the write then opens the file again, which replays the committed batch from
DuckDB's log and checkpoints with the defaults. A crash between the commit and the
checkpoint loses nothing either: DuckDB replays its log at the next open."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from tidings import dedup
from tidings.filters import _side_key_sql
from tidings.model import Article, Mention, articles_to_arrow, mentions_to_arrow
from tidings.schema import ERROR_SCHEMA

__all__ = ["CHECKPOINT_MEMORY", "StoreWrites", "WriteCounts"]

log = logging.getLogger("tidings.store")

#: DuckDB's buffer-pool limit while a write checkpoints (module doc): a batch's peak
#: then stays flat as the store grows. Lower spills more to temporary files; higher
#: lets the vacuum of a large store hold more in memory.
CHECKPOINT_MEMORY = "32MB"
#: no automatic checkpoint at a write's commit (the write checkpoints itself, bounded)
_NO_AUTO_CHECKPOINT = "SET checkpoint_threshold = '1TB'"


@dataclass(slots=True)
class WriteCounts:
    """What one :meth:`Store.write_batch` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    mentions: int = 0
    #: ids of documents that were added or replaced (those whose events need merging)
    changed: list[str] = field(default_factory=list)
    #: events written by the batch's merge
    events: int = 0


class StoreWrites:
    """The writing half of :class:`~tidings.store.Store` (a mixin: it uses the store's
    ``session``, ``transaction`` and ``_check_writable``)."""

    @contextmanager
    def _write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction whose commit does not checkpoint, followed by a checkpoint
        under :data:`CHECKPOINT_MEMORY` (see the module doc); a plain transaction when
        other connections share the database (the server's pool): the limit and the
        thread count are DuckDB settings of the whole database, and its readers must
        not run under them."""
        with self.session() as con:
            if not _alone(con):
                with self.transaction() as tx:
                    yield tx
                return
            con.execute(_NO_AUTO_CHECKPOINT)
            done = True
            try:
                with self.transaction() as tx:
                    yield tx
                done = _checkpoint(con, self.path)
            finally:
                if done:
                    con.execute("RESET checkpoint_threshold")
            if not done:
                self._reopen()

    def _reopen(self) -> None:
        """Replace a connection that DuckDB invalidated (a checkpoint out of memory) by a
        fresh one; opening replays the committed batch from DuckDB's log."""
        log.warning(
            "%s: checkpoint out of memory under %s; reopening", self.path, CHECKPOINT_MEMORY
        )
        try:
            self._con.close()
        except duckdb.Error:  # pragma: no cover - already closed by the failure
            pass
        self._con = self._open()

    def write_batch(
        self,
        articles: Sequence[Article],
        mentions_by_doc: dict[str, list[Mention]] | None = None,
        *,
        coder_version: str | None = None,
        merge: bool = True,
    ) -> WriteCounts:
        """Store a batch of articles, their mentions and their merged events, atomically.

        A new ``doc_id`` is inserted; the same ``doc_id`` with the same ``text_hash`` is
        left alone (re-ingesting is a no-op) unless ``coder_version`` says it was coded
        by another coder; the same ``doc_id`` with a new text (an updated page) replaces
        the document and drops its old mentions. Then the merge partitions the batch
        touched are re-merged (:func:`tidings.dedup.merge_keys_in`), in the SAME
        transaction: a crash at any moment leaves the store as it was before the batch
        or with the whole batch merged, never mentions without events. If anything
        fails, nothing of the batch is kept. ``coder_version`` is recorded with the
        documents that were coded (``None`` marks them for ``tidings recode``).
        ``merge=False`` leaves events alone (for stores whose events are put by hand).
        """
        self._check_writable()
        mentions_by_doc = mentions_by_doc or {}
        latest: dict[str, Article] = {}
        for a in articles:  # the last version of a doc_id within a batch wins
            latest[a.doc_id] = a
        counts = WriteCounts()
        if not latest:
            return counts
        with self._write() as con:
            known = self._known(con, list(latest))
            new_ids = [d for d in latest if d not in known]
            updated_ids = [
                d
                for d, a in latest.items()
                if d in known and _needs_update(known[d], a.text_hash, coder_version)
            ]
            counts.added, counts.updated = len(new_ids), len(updated_ids)
            counts.unchanged = len(latest) - counts.added - counts.updated
            write_ids = new_ids + updated_ids
            counts.changed = write_ids
            if not write_ids:
                return counts
            touched = self._delete_docs(con, updated_ids) if updated_ids else set()
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
                touched |= _insert_mentions(con, mentions)
            counts.mentions = len(mentions)
            if merge:
                counts.events = _merge(con, touched)
        return counts

    @staticmethod
    def _known(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, tuple]:
        """doc_id -> (text_hash, coder_version) of the incoming documents already stored."""
        con.register("_incoming", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
        try:
            rows = con.execute(
                "SELECT d.doc_id, d.text_hash, d.coder_version FROM documents d "
                "JOIN _incoming i ON d.doc_id = i.doc_id"
            ).fetchall()
        finally:
            con.unregister("_incoming")
        return {r[0]: (r[1], r[2]) for r in rows}

    def unchanged_ids(self, articles: Sequence[Article], coder_version: str | None) -> set[str]:
        """Ids of ``articles`` stored with the same text, coded by ``coder_version``.

        The pipeline skips coding them: :meth:`write_batch` would leave them alone.
        """
        if not articles or self.read_only:
            return set()
        with self.session() as con:
            known = self._known(con, [a.doc_id for a in articles])
        return {
            a.doc_id
            for a in articles
            if a.doc_id in known and not _needs_update(known[a.doc_id], a.text_hash, coder_version)
        }

    def repair(self) -> int:
        """Merge the partitions holding mentions without an event; return how many.

        Batches commit with their merge, so only a file written by an older tidings (or
        by hand) can have such mentions. :func:`open_store` calls this and logs what it
        repaired.
        """
        self._check_writable()
        with self._write() as con:
            keys = dedup.pending_keys(con)
            if keys:
                _merge(con, set(keys))
        if keys:
            log.warning(
                "%s: %d merge partition(s) held mentions without events "
                "(an interrupted ingest); merged them now",
                self.path,
                len(keys),
            )
        return len(keys)

    @staticmethod
    def _delete_docs(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> set[str]:
        """Delete documents and their mentions; return the partitions they were in."""
        ids = pa.table({"doc_id": pa.array(doc_ids, pa.string())})
        con.register("_ids", ids)
        try:
            keys = _mention_keys(con)
            con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM _ids)")
            con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM _ids)")
        finally:
            con.unregister("_ids")
        return keys

    def replace_mentions(
        self,
        doc_ids: Sequence[str],
        mentions: Iterable[Mention],
        *,
        coder_version: str | None,
    ) -> int:
        """Swap the mentions of ``doc_ids`` for new ones (``tidings recode``) and re-merge
        the partitions old and new mentions fall in, in one transaction."""
        self._check_writable()
        rows = list(mentions)
        if not doc_ids:
            return 0
        ids = pa.table({"doc_id": pa.array(list(doc_ids), pa.string())})
        with self._write() as con:
            con.register("_ids", ids)
            try:
                touched = _mention_keys(con)
                con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM _ids)")
                con.execute(
                    "UPDATE documents SET coder_version = ? "
                    "WHERE doc_id IN (SELECT doc_id FROM _ids)",
                    [coder_version],
                )
            finally:
                con.unregister("_ids")
            if rows:
                touched |= _insert_mentions(con, rows)
            _merge(con, touched)
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
        with self._write() as con:
            _insert(con, "ingest_errors", table)


def _alone(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` is the only connection on its database instance."""
    return con.execute("SELECT * FROM duckdb_connection_count()").fetchall()[0][0] == 1


def _checkpoint(con: duckdb.DuckDBPyConnection, path: str) -> bool:
    """Checkpoint under a small buffer-pool limit, one thread; the defaults again after.

    Returns False when the checkpoint ran out of memory, which invalidates the
    connection (the caller opens a new one). The data is committed already, so a failed
    checkpoint only leaves the rows in DuckDB's log until the next; any other failure
    (another connection of this process in a transaction) is left to the next one too.
    When the pool already holds more than the limit, DuckDB refuses the limit and the
    checkpoint runs with the defaults.
    """
    if path == ":memory:":
        return True
    try:
        con.execute(f"SET memory_limit = '{CHECKPOINT_MEMORY}'")
        bounded = True
    except duckdb.OutOfMemoryException:
        bounded = False
    if bounded:
        con.execute("SET threads = 1")
    try:
        con.execute("CHECKPOINT")
    except (duckdb.FatalException, duckdb.OutOfMemoryException):
        return False
    except duckdb.Error as exc:
        log.debug("%s: checkpoint left for later: %s", path, exc)
    if bounded:
        con.execute("RESET memory_limit")
        con.execute("RESET threads")
    return True


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Bulk insert through Arrow, naming columns so table column order does not matter."""
    name = f"_arrow_{table}"
    con.register(name, data)
    try:
        cols = ", ".join(f'"{c}"' for c in data.column_names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        con.unregister(name)


def _fill_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Compute the search keys of events that have none yet (cheap when all have them:
    DuckDB skips the column segments whose statistics say they hold no NULL)."""
    con.execute(
        f"UPDATE events SET source_key = {_side_key_sql('source')}, "
        f"target_key = {_side_key_sql('target')} WHERE source_key IS NULL"
    ).fetchall()


def _mention_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Partitions of the mentions of the documents in the registered ``_ids`` table."""
    rows = con.execute(
        "SELECT DISTINCT merge_key FROM mentions WHERE doc_id IN (SELECT doc_id FROM _ids)"
    ).fetchall()
    return {r[0] for r in rows if r[0] is not None}


def _insert_mentions(con: duckdb.DuckDBPyConnection, mentions: list[Mention]) -> set[str]:
    """Insert mentions with their partition key; return the partitions they fall in."""
    table = mentions_to_arrow(mentions)
    keys = dedup.partition_keys(table)
    _insert(con, "mentions", table.append_column(pa.field("merge_key", pa.string()), keys))
    return set(keys.to_pylist())


def _merge(con: duckdb.DuckDBPyConnection, keys: set[str]) -> int:
    """Re-merge ``keys`` and give the new events their search keys (same transaction)."""
    if not keys:
        return 0
    written = dedup.merge_keys_in(con, keys)
    _fill_keys(con)
    return written


def _needs_update(known: tuple, text_hash: str, coder_version: str | None) -> bool:
    """Whether a stored document (``(text_hash, coder_version)``) must be written again:
    its text changed, or it is being coded by another coder version."""
    stored_hash, stored_version = known
    if stored_hash != text_hash:
        return True
    return coder_version is not None and stored_version != coder_version
